// Scenario tests: every process path of DOMAIN.md from acceptance to the return visit, each
// branch of A6 and A7, the §6 escalation path, pauses, links, and commands that must be refused.
#include <catch2/catch.hpp>

#include <map>

#include "core/deadline.h"
#include "workflow_fixture.h"

using namespace onestop;
using namespace onestop::testing;

namespace {

struct World {
  const ProcessBook& book = builtin_processes();
  Directory dir = company();
  WorkCalendar cal = WorkCalendar::builtin();
  Engine engine;
  std::vector<Event> log;

  explicit World(std::string site = "HQ") : engine(book, dir, cal, std::move(site)) {
    engine.set_sink([this](const Event& e) { log.push_back(e); });
  }
  const Case& get(const std::string& id) const {
    const Case* c = engine.state().find(id);
    REQUIRE(c);
    return *c;
  }
  std::string accept(const std::string& matter, Millis t, const std::string& actor = "W01") {
    const Result r = engine.accept(proper_accept(book, matter, t, actor));
    INFO(r.problem.en());
    REQUIRE(r.ok);
    return r.case_id;
  }
  void step(const std::string& id, Millis t, const std::string& outcome = {}) {
    const Result r = engine.act(proper_act(book, dir, get(id), t, outcome));
    INFO(id << " at " << get(id).step << ": " << r.problem.en());
    REQUIRE(r.ok);
  }
  // Does every step until the process ends; `outcomes` chooses at branching steps.
  std::vector<std::string> finish(const std::string& id, Millis t,
                                  const std::map<std::string, std::string>& outcomes = {}) {
    std::vector<std::string> path{get(id).step};
    for (int guard = 0; !get(id).at_end && !get(id).closed() && guard < 30; ++guard) {
      const auto it = outcomes.find(get(id).step);
      step(id, t, it == outcomes.end() ? std::string() : it->second);
      path.push_back(get(id).step);
    }
    return path;
  }
  void reply_visit_close(const std::string& id, Millis t, int rating = 5) {
    const Case& c = get(id);
    std::string replier;
    for (const auto& s : dir.staff)
      if (s.department == c.responsible_dept) {
        replier = s.badge;
        break;
      }
    Result r = engine.reply({replier, t, id, "已办结：" + c.outcome});
    INFO(r.problem.en());
    REQUIRE(r.ok);
    r = engine.visit({"W01", t, id, rating, "满意"});
    INFO(r.problem.en());
    REQUIRE(r.ok);
    r = engine.close({"W01", t, id, {}});
    INFO(r.problem.en());
    REQUIRE(r.ok);
    REQUIRE(get(id).closed());
  }
  Date due_after(Date d, int n) const {
    const DueAnswer a = cal.due(d, n);
    REQUIRE(a.ok);
    return a.date;
  }
};

// The command failed with `id` and changed nothing.
void refused(World& w, const Result& r, Text id, const std::string& case_id = {}) {
  INFO("expected " << tr(id, Lang::en) << ", got " << (r.ok ? "success" : r.problem.en()));
  CHECK_FALSE(r.ok);
  CHECK(r.problem.id == id);
  CHECK(r.events == 0);
  CHECK_FALSE(r.problem.zh().empty());
  CHECK_FALSE(r.problem.en().empty());
  (void)w;
  (void)case_id;
}

}  // namespace

TEST_CASE("the built-in process definitions are valid and cover the rule", "[process]") {
  std::vector<ProcessError> errors;
  const auto book = load_processes(default_processes_json(), errors);
  for (const auto& e : errors) UNSCOPED_INFO(e.text());
  REQUIRE(book);
  CHECK(builtin_processes() == *book);
  for (const char* key : {"consultation", "fee_payment", "contact_info", "base_volume",
                          "rename_transfer", "new_connection", "category_ratio", "suspend",
                          "reactivate", "cancel", "meter_accuracy", "meter_change", "general",
                          "penalty_relief", "attitude_complaint"})
    CHECK(book->process(key));
  // Attachment 1, row by row.
  const std::map<std::string, std::pair<Mode, std::string>> rows = {
      {"consultation", {Mode::consultation, "window"}},
      {"new_connection", {Mode::accepted, "engineering"}},
      {"base_volume_change", {Mode::direct, "csc"}},
      {"rename", {Mode::direct, "csc"}},
      {"transfer", {Mode::direct, "csc"}},
      {"late_payment_penalty", {Mode::accepted, "billing"}},
      {"tiered_fee_reduction", {Mode::accepted, "billing"}},
      {"fee_volume_doubt", {Mode::accepted, "billing"}},
      {"quality_pressure_doubt", {Mode::accepted, "csc"}},
      {"complaint_volume", {Mode::accepted, "csc"}},
      {"complaint_quality", {Mode::accepted, "csc"}},
      {"complaint_pressure", {Mode::accepted, "csc"}},
      {"complaint_attitude", {Mode::accepted, "discipline"}},
      {"facility_fault", {Mode::accepted, "network"}},
      {"illegal_use_report", {Mode::accepted, "network"}},
      {"construction_problem", {Mode::accepted, "engineering"}},
      {"category_ratio_adjustment", {Mode::accepted, "billing"}},
      {"meter_suspend", {Mode::accepted, "billing"}},
      {"meter_cancel", {Mode::accepted, "billing"}},
      {"meter_reactivate", {Mode::accepted, "billing"}},
  };
  for (const auto& [key, expect] : rows) {
    INFO(key);
    const RoutingRow* row = book->matter(key);
    REQUIRE(row);
    CHECK(row->mode == expect.first);
    CHECK(row->department == expect.second);
  }
  CHECK(book->matter("late_payment_penalty")->with == "csc");
  CHECK(book->matter("complaint_attitude")->with == "csc");
  CHECK(book->matter("quality_pressure_doubt")->forward_to == std::vector<std::string>{"network"});
  // A2 limits per customer type; other types take the industrial column.
  const ProcessDef& a2 = *book->process("new_connection");
  std::vector<int> industrial, developer, residential;
  for (const auto& s : a2.steps) {
    if (s.terminal || s.key == "register") continue;
    industrial.push_back(s.limit.for_type(CustomerType::industrial));
    developer.push_back(s.limit.for_type(CustomerType::developer));
    residential.push_back(s.limit.for_type(CustomerType::residential));
  }
  CHECK(industrial == std::vector<int>{1, 1, 2, 1});
  CHECK(developer == std::vector<int>{1, 2, 7, 2});
  CHECK(residential == industrial);
  CHECK(book->process("suspend")->summary == Summary::monthly);
  CHECK(book->process("category_ratio")->summary == Summary::quarterly);
  CHECK(book->process("base_volume")->summary == Summary::quarterly);
  // A6: three outcomes after the test; A7: seal broken or reading wrong go to network.
  const StepDef* test = book->process("meter_accuracy")->step("test");
  REQUIRE(test);
  CHECK(test->next.size() == 3);
  CHECK(test->next_for("seal_broken")->to == "theft");
  CHECK(book->process("meter_accuracy")->step("theft")->department == "network");
  const StepDef* shop = book->process("meter_change")->step("shop_check");
  CHECK(shop->next_for("seal_broken")->to == "theft");
  CHECK(shop->next_for("reading_wrong")->to == "theft");
  CHECK(shop->next_for("intact")->to == "reset_zero");
}

TEST_CASE("the loader names every kind of error with its JSON path", "[process]") {
  std::vector<ProcessError> errors;
  auto has = [&](const std::string& path, Text id) {
    for (const auto& e : errors)
      if (e.path == path && e.problem.id == id) return true;
    for (const auto& e : errors) UNSCOPED_INFO(e.text());
    return false;
  };
  // Start from the default file and break it in many places at once.
  auto j = std::string(default_processes_json());
  auto replace = [&j](const std::string& from, const std::string& to) {
    const auto at = j.find(from);
    REQUIRE(at != std::string::npos);
    j.replace(at, from.size(), to);
  };
  replace(R"("role": "meter_reader", "department": "billing",
         "fields": ["meter_reading", "payment_status"], "signatures": ["meter_reader"], "next": ["remove_meter"])",
          R"("role": "reader", "department": "billing",
         "fields": ["meter_reading", "payment_status"], "signatures": ["meter_reader"], "next": ["remove_meter"])");
  replace(R"("limit": {"industrial": 2, "developer": 7})", R"("limit": {"industrial": -2, "developer": 7})");
  replace(R"("process": "meter_change", "source": "附件7")", R"("process": "meter_swap", "source": "附件7")");
  CHECK_FALSE(load_processes(j, errors));
  CHECK(has("$.processes[7].steps[1].role", Text::ErrProcUnknownRole));
  CHECK(has("$.processes[5].steps[3].limit.industrial", Text::ErrProcBadLimit));
  CHECK(has("$.routing[23].process", Text::ErrProcUnknownProcess));
  CHECK(errors.size() == 3);

  CHECK_FALSE(load_processes(R"({"format": 2, "departments": [], "processes": [], "routing": [], "colour": 1})", errors));
  CHECK(has("$.format", Text::ErrProcFormat));
  CHECK(has("$.colour", Text::ErrProcUnknownMember));
  CHECK_FALSE(load_processes("[]", errors));
  CHECK(has("$", Text::ErrProcWrongType));
  CHECK_FALSE(load_processes("{", errors));
  CHECK(has("$", Text::ErrBadJson));
}

TEST_CASE("consultation is answered and closed at once", "[workflow]") {
  World w;
  const auto id = w.accept("consultation", at(2025, 3, 3));
  const Case& c = w.get(id);
  CHECK(id == "HQ-20250303-0001");
  CHECK(c.closed());
  CHECK(c.mode == Mode::consultation);
  CHECK(c.acceptor == "W01");
  CHECK_FALSE(c.due.set);
  CHECK(c.history.size() == 3);  // accepted, step done, closed
  CHECK(w.log.size() == 3);
  CHECK(w.engine.inbox("window").empty());
  CHECK(w.accept("consultation", at(2025, 3, 3)) == "HQ-20250303-0002");
  CHECK(w.accept("consultation", at(2025, 3, 4)) == "HQ-20250304-0001");
}

TEST_CASE("direct handling: fee payment, contact information", "[workflow]") {
  World w;
  const auto pay = w.accept("fee_payment", at(2025, 3, 3));
  CHECK(w.get(pay).closed());
  CHECK(case_field(w.get(pay), "amount_paid") == "amount_paid value");

  AcceptCmd cmd = proper_accept(w.book, "contact_info", at(2025, 3, 3));
  cmd.customer_no = "31000001";
  cmd.fields = {{"new_phone", "13900139000"}};
  const Result r = w.engine.accept(cmd);
  REQUIRE(r.ok);
  CHECK(w.get(r.case_id).closed());
  const auto cu = w.engine.state().customer("31000001");
  REQUIRE(cu);
  CHECK(cu->phone == "13900139000");
  CHECK(cu->name == "张三");
}

TEST_CASE("direct handling held for missing documents, then rename / transfer (A10)",
          "[workflow]") {
  World w;
  SaveCustomerCmd save{"W01", at(2025, 3, 3), {}};
  save.customer.number = "31000002";
  save.customer.name = "李四";
  save.customer.address = "荆门市掇刀区白庙路8号";
  save.customer.phone = "13700137000";
  save.customer.caliber_dn = 20;
  REQUIRE(w.engine.save_customer(save).ok);

  AcceptCmd cmd;
  cmd.actor = "W01";
  cmd.time = at(2025, 3, 3);
  cmd.matter = "transfer";
  cmd.customer_no = "31000002";  // name, address, phone come from the record
  cmd.fields = {{"new_holder_name", "王五"}, {"new_holder_phone", "13600136000"}};
  cmd.signatures = {{"customer", "李四"}};
  // Without the documents the first step cannot be done: refused, nothing written.
  const size_t before = w.log.size();
  refused(w, w.engine.accept(cmd), Text::ErrMissingDocument);
  CHECK(w.log.size() == before);
  // Registered and held: the clerk records why and what to bring.
  cmd.hold = true;
  cmd.hold_reason = "缺少过户申请表和身份证复印件";
  cmd.documents_needed = {"transfer_form", "identity_copy"};
  const Result held = w.engine.accept(cmd);
  REQUIRE(held.ok);
  const std::string id = held.case_id;
  CHECK(w.get(id).paused());
  CHECK(w.get(id).customer_name == "李四");
  CHECK(w.get(id).step == "register");
  refused(w, w.engine.act(proper_act(w.book, w.dir, w.get(id), at(2025, 3, 4))), Text::ErrCasePaused);
  // The customer comes back with the documents.
  REQUIRE(w.engine.resume({"W01", at(2025, 3, 5), id, {"transfer_form", "identity_copy"}, {}}).ok);
  CHECK_FALSE(w.get(id).paused());
  CHECK(find_document(w.get(id), "transfer_form")->received);
  CHECK(w.get(id).pauses.size() == 1);
  CHECK(w.get(id).pauses[0].to == at(2025, 3, 5));
  const auto path = w.finish(id, at(2025, 3, 5));
  CHECK(path == std::vector<std::string>{"register", "billing_opinion", "csc_change", "done"});
  CHECK(w.get(id).closed());  // direct handling closes by itself
  CHECK(w.engine.state().customer("31000002")->name == "王五");
  CHECK(w.engine.state().customer("31000002")->phone == "13600136000");
  CHECK(w.engine.state().customer("31000002")->caliber_dn == 20);
}

TEST_CASE("A5 base volume: changed at the window, checked, stamped, signed", "[workflow]") {
  World w;
  const auto id = w.accept("base_volume_change", at(2025, 3, 3));
  CHECK(w.engine.state().customer(w.get(id).customer_no)->base_volume == 12);
  CHECK(w.get(id).step == "billing_check");
  CHECK(w.engine.inbox("billing").size() == 1);
  const auto path = w.finish(id, at(2025, 3, 6));
  CHECK(path == std::vector<std::string>{"billing_check", "csc_stamp", "head_sign", "done"});
  CHECK(w.get(id).closed());
  CHECK(w.get(id).summary == Summary::quarterly);
  // Signatures: customer at the window, billing handler, csc handler, department head.
  std::vector<std::string> roles;
  for (const auto& s : w.get(id).signatures) roles.push_back(s.step + ":" + s.role);
  CHECK(roles == std::vector<std::string>{"change:customer", "billing_check:handler",
                                          "csc_stamp:handler", "head_sign:department_head"});
}

TEST_CASE("A2 new connection, industrial and developer time limits", "[workflow]") {
  for (auto type : {CustomerType::industrial, CustomerType::developer, CustomerType::other}) {
    World w;
    INFO(key_of(type));
    AcceptCmd cmd = proper_accept(w.book, "new_connection", at(2025, 3, 3));
    cmd.customer_type = type;
    cmd.customer_no.clear();  // a new customer has no number yet
    const Result r = w.engine.accept(cmd);
    REQUIRE(r.ok);
    const std::string id = r.case_id;
    const bool dev = type == CustomerType::developer;
    // Hand-checked: 2025-03-03 is a Monday; 5 working days -> Mon 10 March; 12 -> Wed 19 March.
    CHECK(w.get(id).due == Deadline{make_date(2025, 3, dev ? 19 : 10), true, false});
    CHECK(w.get(id).responsible_dept == "engineering");
    CHECK(w.get(id).step == "documents");
    CHECK(w.get(id).step_due.date == make_date(2025, 3, 4));
    w.step(id, at(2025, 3, 4));
    CHECK(w.get(id).step == "survey");
    CHECK(w.get(id).step_due.date == w.due_after(make_date(2025, 3, 4), dev ? 2 : 1));
    w.step(id, at(2025, 3, 5));
    CHECK(w.get(id).step_due.date == w.due_after(make_date(2025, 3, 5), dev ? 7 : 2));
    w.step(id, at(2025, 3, 6));
    CHECK(w.get(id).step == "contract");
    CHECK(w.get(id).step_limit == (dev ? 2 : 1));
    w.step(id, at(2025, 3, 7));
    CHECK(w.get(id).at_end);
    CHECK(w.engine.inbox("engineering").size() == 1);  // still owes the reply
    w.reply_visit_close(id, at(2025, 3, 7));
    CHECK(w.get(id).visit->rating == 5);
    CHECK(w.get(id).visit->by == "W01");
    CHECK(w.get(id).result.view().find("已办结") == 0);
  }
}

TEST_CASE("A3 category / ratio adjustment changes the customer record", "[workflow]") {
  World w;
  AcceptCmd cmd = proper_accept(w.book, "category_ratio_adjustment", at(2025, 3, 3));
  cmd.fields = {{"new_category", "非居民用水"}, {"new_ratio", "居民70%/非居民30%"}};
  const Result r = w.engine.accept(cmd);
  REQUIRE(r.ok);
  const auto path = w.finish(r.case_id, at(2025, 3, 4));
  CHECK(path == std::vector<std::string>{"csc_verify", "billing_change", "head_sign", "done"});
  const auto cu = w.engine.state().customer(cmd.customer_no);
  REQUIRE(cu);
  CHECK(cu->category == "非居民用水");
  CHECK(cu->ratio == "居民70%/非居民30%");
  w.reply_visit_close(r.case_id, at(2025, 3, 5));
}

TEST_CASE("A4 suspend, reactivate and cancel move the account state", "[workflow]") {
  World w;
  const auto s = w.accept("meter_suspend", at(2025, 3, 3));
  const std::string no = w.get(s).customer_no;
  CHECK(w.get(s).mode == Mode::accepted);
  CHECK(w.get(s).summary == Summary::monthly);
  auto path = w.finish(s, at(2025, 3, 4));
  CHECK(path == std::vector<std::string>{"meter_check", "remove_meter", "meter_returned",
                                         "system_record", "done"});
  CHECK(w.engine.state().customer(no)->state == AccountState::suspended);
  w.reply_visit_close(s, at(2025, 3, 5));

  AcceptCmd re = proper_accept(w.book, "meter_reactivate", at(2025, 6, 2));
  re.customer_no = no;
  const Result r = w.engine.accept(re);
  REQUIRE(r.ok);
  path = w.finish(r.case_id, at(2025, 6, 3));
  CHECK(path == std::vector<std::string>{"reinstall", "system_record", "done"});
  CHECK(w.engine.state().customer(no)->state == AccountState::active);
  // The meter reader and the customer signed the re-installation.
  int reinstall_signs = 0;
  for (const auto& sig : w.get(r.case_id).signatures)
    if (sig.step == "reinstall") ++reinstall_signs;
  CHECK(reinstall_signs == 2);  // meter reader and customer
  w.reply_visit_close(r.case_id, at(2025, 6, 4));

  AcceptCmd ca = proper_accept(w.book, "meter_cancel", at(2025, 9, 1));
  ca.customer_no = no;
  const Result c = w.engine.accept(ca);
  REQUIRE(c.ok);
  path = w.finish(c.case_id, at(2025, 9, 2));
  CHECK(path == std::vector<std::string>{"meter_check", "system_record", "done"});
  CHECK(w.engine.state().customer(no)->state == AccountState::cancelled);
  w.reply_visit_close(c.case_id, at(2025, 9, 3), 4);
  CHECK(w.engine.cases_of_customer(no).size() == 3);
}

TEST_CASE("A6 meter accuracy complaint: each of the three outcomes", "[workflow]") {
  const std::map<std::string, std::vector<std::string>> expected = {
      {"meter_correct", {"inspect", "take_to_test", "test", "settle_fee", "reset_zero",
                         "csc_close", "head_close", "done"}},
      {"meter_faulty", {"inspect", "take_to_test", "test", "replace_meter", "reset_zero",
                        "csc_close", "head_close", "done"}},
      {"seal_broken", {"inspect", "take_to_test", "test", "theft", "reset_zero", "csc_close",
                       "head_close", "done"}},
  };
  for (const auto& [outcome, path] : expected) {
    World w;
    INFO(outcome);
    const auto id = w.accept("meter_accuracy_complaint", at(2025, 4, 1));
    // At the test the outcome must be chosen.
    w.step(id, at(2025, 4, 2));
    w.step(id, at(2025, 4, 2));
    CHECK(w.get(id).step == "test");
    refused(w, w.engine.act(proper_act(w.book, w.dir, w.get(id), at(2025, 4, 3))),
            Text::ErrOutcomeRequired);
    refused(w, w.engine.act(proper_act(w.book, w.dir, w.get(id), at(2025, 4, 3), "lost")),
            Text::ErrUnknownOutcome);
    const auto rest = w.finish(id, at(2025, 4, 3), {{"test", outcome}});
    std::vector<std::string> full{"inspect", "take_to_test"};
    full.insert(full.end(), rest.begin(), rest.end());
    CHECK(full == path);
    CHECK(w.get(id).outcome == outcome);
    if (outcome == "meter_faulty")
      CHECK(w.engine.state().customer(w.get(id).customer_no)->meter_no ==
            "new_meter_no of " + id);
    if (outcome == "seal_broken") {
      // The theft step was network operations' to do.
      bool network = false;
      for (const auto& h : w.get(id).history) network = network || (h.step == "theft" && h.actor == "N01");
      CHECK(network);
    }
    w.reply_visit_close(id, at(2025, 4, 7));
  }
}

TEST_CASE("A7 meter removal / installation: intact, seal broken, reading wrong", "[workflow]") {
  const std::map<std::string, std::vector<std::string>> expected = {
      {"intact", {"on_site", "hand_over", "shop_check", "reset_zero", "done"}},
      {"seal_broken", {"on_site", "hand_over", "shop_check", "theft", "csc_review", "head_review", "done"}},
      {"reading_wrong", {"on_site", "hand_over", "shop_check", "theft", "csc_review", "head_review", "done"}},
  };
  for (const auto& [outcome, path] : expected) {
    World w;
    INFO(outcome);
    const auto id = w.accept("meter_change", at(2025, 4, 1));
    CHECK(w.finish(id, at(2025, 4, 2), {{"shop_check", outcome}}) == path);
    CHECK(find_document(w.get(id), "meter_change_sheet")->received);
    w.reply_visit_close(id, at(2025, 4, 3));
  }
}

TEST_CASE("every accepted routing row is registered, routed, handled and closed", "[workflow]") {
  World w;
  for (const auto& row : w.book.routing) {
    INFO(row.key);
    const auto id = w.accept(row.key, at(2025, 5, 6));
    const Case& c = w.get(id);
    CHECK(c.category == row.key);
    CHECK(c.responsible_dept == row.department);
    if (row.mode != Mode::accepted) {
      // Consultations and direct matters either close at once or go to the back office.
      w.finish(id, at(2025, 5, 6));
      CHECK(w.get(id).closed());
      continue;
    }
    CHECK(c.due == Deadline{w.due_after(make_date(2025, 5, 6), 5), true, false});
    CHECK(c.needs_reply);
    CHECK(c.needs_visit);
    w.finish(id, at(2025, 5, 7), {{"test", "meter_correct"}, {"shop_check", "intact"}});
    CHECK(w.engine.inbox(row.department).size() >= 1);
    w.reply_visit_close(id, at(2025, 5, 8));
  }
  CHECK(w.engine.inbox("window").empty());
}

TEST_CASE("a quality doubt forwarded from csc to network operations", "[workflow]") {
  World w;
  const auto id = w.accept("quality_pressure_doubt", at(2025, 5, 6));
  CHECK(w.engine.inbox("csc").size() == 1);
  // Network cannot act while it is csc's.
  ActCmd wrong = proper_act(w.book, w.dir, w.get(id), at(2025, 5, 6));
  wrong.actor = "N01";
  refused(w, w.engine.act(wrong), Text::ErrWrongDepartment);
  refused(w, w.engine.transfer({"B02", at(2025, 5, 6), id, "network", {}, {}}), Text::ErrNotAllowed);
  refused(w, w.engine.transfer({"C01", at(2025, 5, 6), id, "csc", {}, {}}), Text::ErrNothingToChange);
  refused(w, w.engine.transfer({"C01", at(2025, 5, 6), id, "network", "B01", {}}), Text::ErrPersonNotInDept);
  REQUIRE(w.engine.transfer({"C01", at(2025, 5, 7), id, "network", "N01", "管网问题"}).ok);
  CHECK(w.engine.inbox("csc").empty());
  CHECK(w.engine.inbox("network").size() == 1);
  CHECK(w.get(id).responsible_person == "N01");
  CHECK(w.get(id).transferred_at == at(2025, 5, 7));
  CHECK(w.get(id).due.date == w.due_after(make_date(2025, 5, 6), 5));  // the promise stands
  w.finish(id, at(2025, 5, 8));
  refused(w, w.engine.reply({"C01", at(2025, 5, 8), id, "好了"}), Text::ErrWrongDepartment);
  w.reply_visit_close(id, at(2025, 5, 8));
  CHECK(w.get(id).history.back().actor == "W01");
}

TEST_CASE("§6 escalation: overdue, chased, reported to discipline, ruled", "[workflow]") {
  World w;
  // Friday 26 Sep 2025: with the National Day holidays and the makeup Sunday 28 Sep, five
  // working days end on Friday 10 October (worked out by hand from the 2025 notice).
  const auto id = w.accept("fee_volume_doubt", at(2025, 9, 26));
  CHECK(w.get(id).due == Deadline{make_date(2025, 10, 10), true, false});
  CHECK(w.engine.due_on(make_date(2025, 10, 10)).size() == 1);
  CHECK(w.engine.due_soon(make_date(2025, 10, 9)).size() == 1);  // next working day
  CHECK(w.engine.due_soon(make_date(2025, 10, 8)).empty());       // 8th: holiday, next is 9th
  // On the due day nothing is overdue yet.
  Result r = w.engine.scan_overdue("W01", at(2025, 10, 10, 17));
  REQUIRE(r.ok);
  CHECK(r.events == 0);
  refused(w, w.engine.chase({"W01", at(2025, 10, 10), id, "问进度", true}), Text::ErrEscalationOrder);
  // Saturday 11 October is a makeup working day: the case is overdue.
  CHECK(w.engine.overdue(make_date(2025, 10, 11)).size() == 1);
  r = w.engine.scan_overdue("W01", at(2025, 10, 11, 9));
  REQUIRE(r.ok);
  CHECK(r.cases == std::vector<std::string>{id});
  CHECK(w.get(id).escalation->stage == Escalation::overdue);
  CHECK(w.get(id).escalation->dept_at_fault == "billing");
  CHECK(w.get(id).escalation->missed == make_date(2025, 10, 10));
  CHECK(w.engine.scan_overdue("W01", at(2025, 10, 12)).events == 0);  // marked once
  // The order of §6: contact the department and tell the customer, then report.
  refused(w, w.engine.report({"W01", at(2025, 10, 11), id, "营抄中心未反馈", {}}), Text::ErrEscalationOrder);
  refused(w, w.engine.chase({"B01", at(2025, 10, 11), id, "问进度", true}), Text::ErrRoleMissing);
  refused(w, w.engine.chase({"W01", at(2025, 10, 11), id, "", true}), Text::ErrNoteRequired);
  REQUIRE(w.engine.chase({"W01", at(2025, 10, 11), id, "已联系营抄中心，答复下周处理", true}).ok);
  CHECK(w.get(id).escalation->customer_informed);
  REQUIRE(w.engine.chase({"W01", at(2025, 10, 13), id, "再次催办", true}).ok);
  CHECK(w.get(id).escalation->chases == 2);
  refused(w, w.engine.report({"W01", at(2025, 10, 13), id, "", {}}), Text::ErrCauseRequired);
  REQUIRE(w.engine.report({"W01", at(2025, 10, 13), id, "营抄中心人手不足，未按期核查", {}}).ok);
  CHECK(w.get(id).escalation->stage == Escalation::reported);
  CHECK(w.get(id).escalation->dept_at_fault == "billing");
  refused(w, w.engine.rule({"W01", at(2025, 10, 14), id, true, "问责"}), Text::ErrRoleMissing);
  REQUIRE(w.engine.rule({"D01", at(2025, 10, 14), id, true, "承办部门原因延期，予以问责"}).ok);
  CHECK(w.get(id).escalation->stage == Escalation::ruled);
  CHECK(w.get(id).escalation->accountable);
  // The matter itself is still finished and the customer called back.
  w.finish(id, at(2025, 10, 14));
  w.reply_visit_close(id, at(2025, 10, 15), 2);
  CHECK(w.get(id).escalation->stage == Escalation::ruled);
  CHECK(w.engine.overdue(make_date(2025, 10, 20)).empty());
}

TEST_CASE("a pause stops the clock; the due date moves by the paused working days",
          "[workflow]") {
  World w;
  // Monday 3 March 2025, 5 working days: due Monday 10 March.
  const auto id = w.accept("fee_volume_doubt", at(2025, 3, 3));
  CHECK(w.get(id).due.date == make_date(2025, 3, 10));
  refused(w, w.engine.pause({"B01", at(2025, 3, 5), id, "", {}}), Text::ErrReasonRequired);
  refused(w, w.engine.pause({"N01", at(2025, 3, 5), id, "等资料", {}}), Text::ErrNotAllowed);
  REQUIRE(w.engine.pause({"B01", at(2025, 3, 5), id, "等待用户提供缴费凭证", {}}).ok);
  CHECK(w.engine.state().index().running_clocks() == 0);
  CHECK(w.engine.overdue(make_date(2025, 3, 20)).empty());  // no clock while paused
  refused(w, w.engine.pause({"B01", at(2025, 3, 6), id, "again", {}}), Text::ErrCasePaused);
  // Resumed Wednesday 12 March: Tue 4 and Wed 5 were used, 3 remain: Thu 13, Fri 14, Mon 17.
  REQUIRE(w.engine.resume({"B01", at(2025, 3, 12), id, {}, "用户已提供"}).ok);
  CHECK(w.get(id).due == Deadline{make_date(2025, 3, 17), true, false});
  REQUIRE(w.get(id).pauses.size() >= 1);
  CHECK(w.get(id).pauses[0].reason == "等待用户提供缴费凭证");
  // A pause and a resumption on the same day change nothing.
  REQUIRE(w.engine.pause({"W01", at(2025, 3, 13, 9), id, "午休前暂停", {}}).ok);
  REQUIRE(w.engine.resume({"W01", at(2025, 3, 13, 15), id, {}, {}}).ok);
  CHECK(w.get(id).due.date == make_date(2025, 3, 17));
  refused(w, w.engine.resume({"W01", at(2025, 3, 13), id, {}, {}}), Text::ErrCaseNotPaused);
  // A pause across the National Day holidays.
  const auto id2 = w.accept("fee_volume_doubt", at(2025, 9, 22));  // Monday
  CHECK(w.get(id2).due.date == make_date(2025, 9, 28));             // makeup Sunday
  REQUIRE(w.engine.pause({"B01", at(2025, 9, 24), id2, "等待检测", {}}).ok);  // used: 23, 24
  REQUIRE(w.engine.resume({"B01", at(2025, 10, 9), id2, {}, {}}).ok);
  // 3 remain after Thu 9 Oct: Fri 10, Sat 11 (makeup), Mon 13.
  CHECK(w.get(id2).due.date == make_date(2025, 10, 13));
  // The helper agrees for the same numbers.
  const PauseSpan p[] = {{at(2025, 9, 24), at(2025, 10, 9), {}, {}}};
  CHECK(compute_deadline(w.cal, make_date(2025, 9, 22), 5, p).deadline.date == make_date(2025, 10, 13));
}

TEST_CASE("a deadline in an unpublished year is provisional and recomputed later",
          "[workflow]") {
  World w;
  // Monday 28 Dec 2026 + 5: 29, 30, 31 Dec; 1 Jan 2027 is off (estimated); 4, 5 Jan.
  const auto id = w.accept("facility_fault", at(2026, 12, 28));
  CHECK(w.get(id).due == Deadline{make_date(2027, 1, 5), true, true});
  // The State Council's notice for 2027 is entered (a made-up one: 1–4 January off).
  WorkCalendar::Notice notice;
  for (unsigned d = 1; d <= 4; ++d) notice.push_back({make_date(2027, 1, d), DayKind::off});
  std::string err;
  REQUIRE(w.cal.publish_year(2027, notice, err));
  const Result r = w.engine.refresh_deadlines("A01", at(2027, 1, 2));
  REQUIRE(r.ok);
  CHECK(r.cases == std::vector<std::string>{id});
  CHECK(w.get(id).due == Deadline{make_date(2027, 1, 6), true, false});
  CHECK(w.engine.refresh_deadlines("A01", at(2027, 1, 2)).events == 0);
}

TEST_CASE("reopen, duplicate and follow-up links", "[workflow]") {
  World w;
  const auto a = w.accept("complaint_pressure", at(2025, 6, 2));
  const auto b = w.accept("complaint_pressure", at(2025, 6, 2));
  refused(w, w.engine.mark_duplicate({"W01", at(2025, 6, 2), b, b}), Text::ErrSelfLink);
  refused(w, w.engine.mark_duplicate({"B02", at(2025, 6, 2), b, a}), Text::ErrNotAllowed);
  refused(w, w.engine.mark_duplicate({"W01", at(2025, 6, 2), b, "HQ-20250602-0099"}), Text::ErrUnknownCase);
  REQUIRE(w.engine.mark_duplicate({"W01", at(2025, 6, 2), b, a}).ok);
  CHECK(w.get(b).closed());
  CHECK(w.get(b).duplicate_of == a);
  CHECK(w.engine.state().index().running_clocks() == 1);
  const auto c = w.accept("complaint_pressure", at(2025, 6, 3));
  refused(w, w.engine.mark_duplicate({"W01", at(2025, 6, 3), c, b}), Text::ErrDuplicateOfDuplicate);

  w.finish(a, at(2025, 6, 3));
  refused(w, w.engine.close({"W01", at(2025, 6, 3), a, {}}), Text::ErrNotReplied);
  refused(w, w.engine.visit({"W01", at(2025, 6, 3), a, 4, {}}), Text::ErrNotReplied);
  REQUIRE(w.engine.reply({"C01", at(2025, 6, 3), a, "已调整减压阀"}).ok);
  refused(w, w.engine.reply({"C01", at(2025, 6, 3), a, "again"}), Text::ErrAlreadyReplied);
  refused(w, w.engine.close({"W01", at(2025, 6, 3), a, {}}), Text::ErrVisitMissing);
  refused(w, w.engine.visit({"W01", at(2025, 6, 3), a, 6, {}}), Text::ErrBadRating);
  refused(w, w.engine.visit({"C01", at(2025, 6, 3), a, 3, {}}), Text::ErrRoleMissing);
  REQUIRE(w.engine.visit({"W01", at(2025, 6, 4), a, 2, "水压仍偏低"}).ok);
  refused(w, w.engine.visit({"W01", at(2025, 6, 4), a, 2, {}}), Text::ErrAlreadyVisited);
  REQUIRE(w.engine.close({"W01", at(2025, 6, 4), a, {}}).ok);
  refused(w, w.engine.close({"W01", at(2025, 6, 4), a, {}}), Text::ErrCaseClosed);
  refused(w, w.engine.act(proper_act(w.book, w.dir, w.get(a), at(2025, 6, 4))), Text::ErrCaseClosed);

  // The customer is not satisfied: reopened, back to the department with a fresh clock.
  refused(w, w.engine.reopen({"W01", at(2025, 6, 5), c, "x", {}}), Text::ErrNotClosed);
  refused(w, w.engine.reopen({"W01", at(2025, 6, 5), a, "", {}}), Text::ErrReasonRequired);
  refused(w, w.engine.reopen({"W01", at(2025, 6, 5), a, "仍偏低", "done"}), Text::ErrStepTerminal);
  REQUIRE(w.engine.reopen({"W01", at(2025, 6, 5), a, "用户反映水压仍偏低", {}}).ok);
  CHECK_FALSE(w.get(a).closed());
  CHECK(w.get(a).step == "handle");
  CHECK_FALSE(w.get(a).replied);
  CHECK_FALSE(w.get(a).visit);
  CHECK(w.get(a).due.date == w.due_after(make_date(2025, 6, 5), 5));
  CHECK(w.engine.inbox("csc").size() == 2);  // a again, and c
  w.finish(a, at(2025, 6, 6));
  w.reply_visit_close(a, at(2025, 6, 6), 4);

  // c follows up a; a cannot then follow up c.
  REQUIRE(w.engine.link_follow_up({"W01", at(2025, 6, 6), c, a}).ok);
  CHECK(w.get(c).follow_up_of == a);
  refused(w, w.engine.link_follow_up({"W01", at(2025, 6, 6), c, b}), Text::ErrAlreadyLinked);
  refused(w, w.engine.link_follow_up({"W01", at(2025, 6, 6), a, c}), Text::ErrLinkCycle);
}

TEST_CASE("invalid step actions are refused with a reason and change nothing", "[workflow]") {
  World w;
  const auto id = w.accept("meter_suspend", at(2025, 3, 3));
  Arena arena;
  const Case before = w.get(id).clone(arena);
  const size_t events = w.log.size();
  ActCmd ok = proper_act(w.book, w.dir, w.get(id), at(2025, 3, 4));
  CHECK(ok.actor == "B02");

  ActCmd a = ok;
  a.actor = "X99";
  refused(w, w.engine.act(a), Text::ErrUnknownActor);
  a = ok;
  a.actor = "B01";  // billing, but not a meter reader
  refused(w, w.engine.act(a), Text::ErrRoleMissing);
  a = ok;
  a.case_id = "HQ-19990101-0001";
  refused(w, w.engine.act(a), Text::ErrUnknownCase);
  a = ok;
  a.step = "system_record";
  refused(w, w.engine.act(a), Text::ErrStaleStep);
  a = ok;
  a.fields.clear();
  refused(w, w.engine.act(a), Text::ErrMissingField);
  a = ok;
  a.fields.push_back({"colour", "red"});
  refused(w, w.engine.act(a), Text::ErrProcUnknownField);
  a = ok;
  a.documents = {"passport"};
  refused(w, w.engine.act(a), Text::ErrProcUnknownDocument);
  a = ok;
  a.signatures = {{"meter_reader", "B03"}};  // a fitter cannot sign as meter reader
  refused(w, w.engine.act(a), Text::ErrBadSigner);
  a = ok;
  a.outcome = "whatever";
  refused(w, w.engine.act(a), Text::ErrUnknownOutcome);
  refused(w, w.engine.reply({"B01", at(2025, 3, 4), id, "x"}), Text::ErrProcessNotDone);
  refused(w, w.engine.close({"W01", at(2025, 3, 4), id, {}}), Text::ErrProcessNotDone);
  refused(w, w.engine.close({"B01", at(2025, 3, 4), id, {}}), Text::ErrNotAllowed);
  // Acceptance itself.
  AcceptCmd acc = proper_accept(w.book, "meter_suspend", at(2025, 3, 4));
  acc.actor = "B01";
  refused(w, w.engine.accept(acc), Text::ErrRoleMissing);
  acc = proper_accept(w.book, "meter_suspend", at(2025, 3, 4));
  acc.matter = "free_water";
  refused(w, w.engine.accept(acc), Text::ErrUnknownMatter);
  acc = proper_accept(w.book, "meter_suspend", at(2025, 3, 4));
  acc.signatures.clear();
  refused(w, w.engine.accept(acc), Text::ErrMissingSignature);
  acc = proper_accept(w.book, "meter_suspend", at(2025, 3, 4));
  acc.fields.clear();
  refused(w, w.engine.accept(acc), Text::ErrMissingField);
  acc = proper_accept(w.book, "meter_suspend", at(2025, 3, 4));
  acc.responsible_person = "N01";
  refused(w, w.engine.accept(acc), Text::ErrPersonNotInDept);
  acc = proper_accept(w.book, "meter_suspend", at(2006, 3, 4));  // before the calendar's data
  refused(w, w.engine.accept(acc), Text::ErrCalendar);

  CHECK(w.log.size() == events);
  CHECK(w.get(id) == before);
  CHECK(w.engine.state().case_count() == 1);
  // The error reads in both languages.
  a = ok;
  a.actor = "B01";
  const Problem p = w.engine.act(a).problem;
  CHECK(p.zh() == "B01 没有“抄表员”角色");
  CHECK(p.en() == "B01 does not hold the role \"Meter reader\"");
  // And the proper command works.
  REQUIRE(w.engine.act(ok).ok);
}

TEST_CASE("case numbers are unique across sites without coordination", "[workflow]") {
  World hq("HQ"), db("DB");
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(hq.accept("facility_fault", at(2025, 7, 1)));
    ids.push_back(db.accept("facility_fault", at(2025, 7, 1), "W02"));
  }
  CHECK(ids == std::vector<std::string>{"HQ-20250701-0001", "DB-20250701-0001",
                                        "HQ-20250701-0002", "DB-20250701-0002",
                                        "HQ-20250701-0003", "DB-20250701-0003"});
  // The main office folds both logs: every case is there, once.
  State merged;
  for (const auto& e : hq.log) merged.apply(e);
  for (const auto& e : db.log) merged.apply(e);
  for (const auto& e : db.log) CHECK_FALSE(merged.apply(e));  // again: ignored
  CHECK(merged.case_count() == 6);
  CHECK(merged.last_seq("HQ") == hq.log.size());
  CHECK(merged.last_seq("DB") == db.log.size());
  CHECK(merged.index().inbox("network").size() == 6);
}

TEST_CASE("events survive a JSON round trip; malformed ones are refused", "[event]") {
  World w;
  const auto id = w.accept("meter_accuracy_complaint", at(2025, 4, 1));
  w.finish(id, at(2025, 4, 2), {{"test", "meter_faulty"}});
  REQUIRE(w.engine.pause({"B01", at(2025, 4, 2), id, "等待用户", {"approval_form"}}).ok);
  REQUIRE(w.engine.resume({"B01", at(2025, 4, 3), id, {"approval_form"}, "ok"}).ok);
  w.reply_visit_close(id, at(2025, 4, 3));
  State replayed;
  for (const auto& e : w.log) {
    const std::string text = event_to_json(e);
    Problem err;
    const auto back = event_from_json(text, err);
    INFO(text);
    REQUIRE(back);
    CHECK(*back == e);
    replayed.apply(*back);
  }
  CHECK(replayed.same_as(w.engine.state()));
  Problem err;
  CHECK_FALSE(event_from_json("{", err));
  CHECK(err.id == Text::ErrBadJson);
  CHECK_FALSE(event_from_json(R"({"site":"HQ","seq":1,"actor":"W01","time":0,"case":"x","type":"teleported","data":{}})", err));
  CHECK(err.id == Text::ErrBadEvent);
  CHECK_FALSE(event_from_json(R"({"site":"HQ","seq":1,"actor":"W01","time":0,"case":"x","type":"visited","data":{"date":"2025-01-01","rating":9,"comment":""}})", err));
  CHECK_FALSE(event_from_json(R"({"site":"HQ","seq":"1","actor":"W01","time":0,"case":"x","type":"closed","data":{"note":""}})", err));
  CHECK(event_from_json(R"({"site":"HQ","seq":1,"actor":"W01","time":0,"case":"x","type":"closed","data":{"note":""}})", err));
}

TEST_CASE("a clone of a case has lists of its own (core/arena.h)", "[workflow][arena]") {
  World w;
  const auto id = w.accept("meter_suspend", at(2025, 3, 3));
  const Case& live = w.get(id);
  REQUIRE_FALSE(live.documents.empty());
  REQUIRE_FALSE(live.history.empty());

  Arena arena;
  Case copy = live.clone(arena);
  CHECK(copy == live);
  // Changing the copy's lists leaves the case in the state alone.
  copy.documents[0].received = !copy.documents[0].received;
  copy.history.push_back(arena, HistoryEntry{});
  copy.fields.push_back(arena, FieldValue{Key("x"), Str::copy(arena, "y")});
  CHECK(live.documents[0].received != copy.documents[0].received);
  CHECK(live.history.size() + 1 == copy.history.size());
  CHECK_FALSE(copy == live);
  // And the state's case going on leaves the copy alone.
  const size_t before = copy.history.size();
  REQUIRE(w.engine.act(proper_act(w.book, w.dir, live, at(2025, 3, 4))).ok);
  CHECK(copy.history.size() == before);
}
