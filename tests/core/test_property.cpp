// Property tests: thousands of random commands (fixed seeds), many of them wrong on purpose.
// After every command: a refused one wrote nothing and changed nothing. At the end: every case
// obeys the process definitions, every step event was allowed when it was written, every index
// answers exactly what a scan of all cases answers, and replaying the written events (through
// their JSON form) rebuilds exactly the live state.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "workflow_fixture.h"

using namespace onestop;
using namespace onestop::testing;

namespace {

const char* const kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "吴", "周"};
const char* const kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "建国", "秀英"};
const char* const kDistricts[] = {"东宝区", "掇刀区", "京山市", "沙洋县", "钟祥市"};
const char* const kRoads[] = {"泉口路", "白庙路", "象山大道", "月亮湖路", "长宁大道", "深圳大道"};

struct Random {
  std::mt19937 rng;
  explicit Random(uint32_t seed) : rng(seed) {}
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
  bool chance(int percent) { return below(100) < percent; }
  template <typename T, size_t N>
  const T& pick(const T (&a)[N]) {
    return a[static_cast<size_t>(below(static_cast<int>(N)))];
  }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(below(static_cast<int>(v.size())))];
  }
  std::string name() { return std::string(pick(kSurnames)) + pick(kGiven); }
  std::string address() {
    return std::string("荆门市") + pick(kDistricts) + pick(kRoads) + std::to_string(1 + below(300)) + "号";
  }
  std::string phone() {
    std::string p = "13";
    for (int i = 0; i < 9; ++i) p += static_cast<char>('0' + below(10));
    return p;
  }
};

struct Harness {
  const ProcessBook& book = builtin_processes();
  Directory dir = company();
  WorkCalendar cal = WorkCalendar::builtin();
  Engine engine;
  std::vector<Event> log;
  Random rnd;
  Millis now = at(2025, 1, 2, 9);
  std::vector<std::string> ids;
  std::vector<std::string> customers;
  std::map<std::string, int> outcomes;  // "ok" / problem key -> count

  explicit Harness(uint32_t seed) : engine(book, dir, cal, "HQ"), rnd(seed) {
    engine.set_sink([this](const Event& e) { log.push_back(e); });
    for (int i = 0; i < 60; ++i) customers.push_back("31" + std::to_string(100000 + i * 7));
  }

  const Case* some_case() {
    if (ids.empty()) return nullptr;
    return engine.state().find(rnd.pick(ids));
  }
  std::string some_staff() { return rnd.pick(dir.staff).badge; }

  AcceptCmd accept_cmd() {
    const auto& row = rnd.pick(book.routing);
    AcceptCmd a = proper_accept(book, row.key, now, rnd.chance(50) ? "W01" : "W02");
    a.customer_no = rnd.chance(90) ? rnd.pick(customers) : std::string();
    a.customer_name = rnd.name();
    a.address = rnd.address();
    a.phone = rnd.phone();
    a.customer_type = static_cast<CustomerType>(rnd.below(kCustomerTypeCount));
    if (rnd.chance(8) && !a.fields.empty()) a.fields.pop_back();
    if (rnd.chance(8) && !a.signatures.empty()) a.signatures.clear();
    if (rnd.chance(8) && !a.documents.empty()) a.documents.pop_back();
    if (rnd.chance(5)) a.actor = some_staff();
    if (rnd.chance(6)) {
      a.hold = true;
      a.hold_reason = rnd.chance(90) ? "资料不全" : "";
      a.documents_needed = a.documents;
      a.documents.clear();
    }
    return a;
  }

  ActCmd act_cmd(const Case& c) {
    std::string outcome;
    if (const ProcessDef* p = book.process(c.process))
      if (const StepDef* s = p->step(c.step); s && s->next.size() > 1)
        outcome = s->next[static_cast<size_t>(rnd.below(static_cast<int>(s->next.size())))].outcome;
    if (rnd.chance(5)) outcome = "bogus";
    ActCmd a = proper_act(book, dir, c, now, outcome);
    if (rnd.chance(10)) a.actor = some_staff();
    if (rnd.chance(6) && !a.fields.empty()) a.fields.pop_back();
    if (rnd.chance(6) && !a.signatures.empty()) a.signatures.pop_back();
    if (rnd.chance(3)) a.step = "register";
    if (rnd.chance(10)) a.fields.push_back({"phone", rnd.phone()});  // searchable fields change
    if (rnd.chance(5)) a.fields.push_back({"customer_name", rnd.name()});
    if (rnd.chance(3)) a.fields.push_back({"customer_no", rnd.pick(customers)});
    return a;
  }

  // A staff member of the case's responsible department, or someone random.
  std::string dept_person(const Case& c) {
    if (rnd.chance(20)) return some_staff();
    for (const auto& s : dir.staff)
      if (s.department == c.responsible_dept) return s.badge;
    return some_staff();
  }
  std::string acceptor() { return rnd.chance(85) ? (rnd.chance(50) ? "W01" : "W02") : some_staff(); }

  void one_command() {
    now += rnd.below(5 * 3'600'000);
    const Case* c = some_case();
    int op = rnd.below(100);
    // Most of the time, the action the case is waiting for (so that cases get somewhere);
    // otherwise anything at all.
    if (c && op >= 16 && rnd.chance(70)) {
      if (c->closed()) op = rnd.chance(10) ? 88 : 0;
      else if (c->paused()) op = 63;
      else if (c->escalation->stage == Escalation::overdue) op = 92;
      else if (c->escalation->stage == Escalation::chased && rnd.chance(50)) op = 94;
      else if (c->escalation->stage == Escalation::reported && rnd.chance(50)) op = 96;
      else if (!c->at_end) op = 20;
      else if (c->needs_reply && !c->replied) op = 70;
      else if (c->needs_visit && !c->visit) op = 78;
      else op = 84;
    }
    Result r;
    std::string target;
    if (op < 16 || !c) {
      r = engine.accept(accept_cmd());
      if (r.ok) ids.push_back(r.case_id);
    } else {
      target = c->number;
      Arena arena;
      const Case before = c->clone(arena);
      const size_t events_before = log.size();
      if (op < 56) {
        r = engine.act(act_cmd(*c));
      } else if (op < 59) {
        const auto& d = rnd.pick(book.departments);
        r = engine.transfer({dept_person(*c), now, c->number, d.key, {}, "转办"});
      } else if (op < 63) {
        r = engine.pause({dept_person(*c), now, c->number, rnd.chance(90) ? "等待资料" : "", {}});
      } else if (op < 69) {
        r = engine.resume({rnd.chance(50) ? dept_person(*c) : acceptor(), now, c->number, {}, {}});
      } else if (op < 77) {
        r = engine.reply({dept_person(*c), now, c->number, rnd.chance(95) ? "已处理" : ""});
      } else if (op < 83) {
        r = engine.visit({acceptor(), now, c->number, rnd.below(7), "回访"});
      } else if (op < 88) {
        r = engine.close({acceptor(), now, c->number, {}});
      } else if (op < 90) {
        r = engine.reopen({acceptor(), now, c->number, "用户不满意", {}});
      } else if (op < 91) {
        r = engine.mark_duplicate({acceptor(), now, c->number, rnd.pick(ids)});
      } else if (op < 92) {
        r = engine.link_follow_up({acceptor(), now, c->number, rnd.pick(ids)});
      } else if (op < 94) {
        r = engine.chase({acceptor(), now, c->number, "已催办", rnd.chance(50)});
      } else if (op < 96) {
        r = engine.report({acceptor(), now, c->number, "承办部门未按期办理", {}});
      } else if (op < 97) {
        r = engine.rule({rnd.chance(70) ? "D01" : some_staff(), now, c->number, rnd.chance(50), "认定"});
      } else if (op < 99) {
        r = engine.scan_overdue(some_staff(), now);
        target.clear();
      } else {
        Customer cu;
        cu.number = rnd.pick(customers);
        cu.name = rnd.name();
        cu.address = rnd.address();
        cu.phone = rnd.phone();
        cu.base_volume = rnd.below(30);
        r = engine.save_customer({acceptor(), now, cu});
        target.clear();
      }
      if (!r.ok) {
        // Refused: nothing written, the case untouched.
        CHECK(log.size() == events_before);
        CHECK(*engine.state().find(before.number) == before);
      }
    }
    CHECK(r.events == (r.ok ? r.events : 0u));
    ++outcomes[r.ok ? std::string("ok") : std::string(tr(r.problem.id, Lang::en))];
  }
};

// Every case obeys its process definition.
void check_case(const ProcessBook& book, const Case& c) {
  INFO(c.number << " at " << c.step);
  const ProcessDef* p = book.process(c.process);
  REQUIRE(p);
  const StepDef* s = p->step(c.step);
  REQUIRE(s);
  CHECK(c.at_end == s->terminal);
  if (c.closed() && c.duplicate_of.empty()) {
    CHECK(c.at_end);
    CHECK((!c.needs_reply || c.replied));
    CHECK((!c.needs_visit || c.visit.has_value()));
  }
  if (c.replied) CHECK(c.at_end);
  if (c.visit) {
    CHECK(c.visit->rating >= 1);
    CHECK(c.visit->rating <= 5);
    CHECK((!c.needs_reply || c.replied));
  }
  for (size_t i = 0; i + 1 < c.pauses.size(); ++i) CHECK(c.pauses[i].to >= c.pauses[i].from);
  for (const auto& pz : c.pauses) CHECK_FALSE(pz.reason.empty());
  if (c.escalation->stage >= Escalation::chased) CHECK(c.escalation->chases >= 1);
  if (c.escalation->stage >= Escalation::reported) CHECK_FALSE(c.escalation->cause.empty());
  if (c.mode == Mode::accepted && p->limit.any()) CHECK(c.due.set);
  for (const auto& sig : c.signatures)
    CHECK((sig.role == kCustomerSigner || role_from_key(sig.role).has_value()));
}

// Replays the log one event at a time and checks each step event against the definitions as
// they stood when it was written: right step, right person, fields, documents, signatures.
void check_events(const ProcessBook& book, const Directory& dir, const std::vector<Event>& log) {
  State s;
  for (const auto& e : log) {
    if (e.type() == EventType::step_done) {
      const Case* c = s.find(e.case_id);
      REQUIRE(c);
      const auto& done = *std::get<Box<ev::StepDone>>(e.payload);
      INFO(e.case_id << " step " << done.step);
      CHECK(done.step == c->step);
      CHECK_FALSE(c->closed());
      CHECK_FALSE(c->paused());
      const ProcessDef* p = book.process(c->process);
      REQUIRE(p);
      const StepDef* sd = p->step(done.step);
      REQUIRE(sd);
      const Staff* who = dir.find_staff(e.actor);
      REQUIRE(who);
      if (sd->role) CHECK(who->has(*sd->role));
      const std::string dept = sd->department.empty() ? c->responsible_dept : sd->department;
      if (sd->department != kAnyDept) CHECK(who->department == dept);
      const NextStep* next = sd->next_for(done.outcome);
      REQUIRE(next);
      CHECK(next->to == done.to);
      for (const auto& r : sd->signatures)
        CHECK(std::any_of(done.signatures.begin(), done.signatures.end(),
                          [&](const ev::Sign& g) { return g.role == r; }));
      s.apply(e);
      const Case* after = s.find(e.case_id);
      for (const auto& f : sd->fields) CHECK_FALSE(case_field(*after, f).empty());
      for (const auto& d : sd->documents) CHECK(find_document(*after, d)->received);
      continue;
    }
    if (e.type() == EventType::replied) CHECK(s.find(e.case_id)->at_end);
    if (e.type() == EventType::closed) {
      const Case* c = s.find(e.case_id);
      CHECK(c->at_end);
      CHECK((!c->needs_reply || c->replied));
      CHECK((!c->needs_visit || c->visit.has_value()));
    }
    s.apply(e);
  }
}

std::vector<CaseRef> sorted(std::span<const CaseRef> v) {
  std::vector<CaseRef> out(v.begin(), v.end());
  std::sort(out.begin(), out.end());
  return out;
}

// Every index answers what a scan of every case answers.
void check_indexes(const ProcessBook& book, const State& s, Random& rnd) {
  const auto& idx = s.index();
  for (const auto& d : book.departments) {
    std::vector<CaseRef> scan;
    for (CaseRef r = 0; r < s.case_count(); ++r)
      if (holder_dept(s.at(r)) == d.key) scan.push_back(r);
    CHECK(sorted(idx.inbox(d.key)) == scan);
  }
  std::map<std::string, std::vector<CaseRef>> by_customer;
  for (CaseRef r = 0; r < s.case_count(); ++r)
    if (!s.at(r).customer_no.empty()) by_customer[s.at(r).customer_no].push_back(r);
  for (const auto& [no, refs] : by_customer) CHECK(sorted(idx.by_customer(no)) == refs);
  for (int k = 0; k < 40; ++k) {
    const Date from{make_date(2025, 1, 1).days + rnd.below(400)};
    const Date to{from.days + rnd.below(10)};
    std::vector<std::pair<int32_t, CaseRef>> between, before;
    for (CaseRef r = 0; r < s.case_count(); ++r) {
      const Case& c = s.at(r);
      if (!clock_running(c)) continue;
      if (c.due.date >= from && c.due.date <= to) between.push_back({c.due.date.days, r});
      if (c.due.date < from) before.push_back({c.due.date.days, r});
    }
    std::sort(between.begin(), between.end());
    std::sort(before.begin(), before.end());
    std::vector<CaseRef> b1, b2;
    for (auto& p : between) b1.push_back(p.second);
    for (auto& p : before) b2.push_back(p.second);
    CHECK(idx.due_between(from, to) == b1);
    CHECK(idx.due_before(from) == b2);
  }
  // Text: substrings of real fields, plus odd queries.
  std::vector<std::string> queries = {"张", "东宝", "ＨＱ－２０２５", "hq-2025", "泉口路1", "138", "x"};
  for (int k = 0; k < 60 && s.case_count() > 0; ++k) {
    const Case& c = s.at(static_cast<CaseRef>(rnd.below(static_cast<int>(s.case_count()))));
    const Str* fields[] = {&c.customer_name, &c.address, &c.phone, &c.number, &c.customer_no};
    const std::string norm = normalize_text(*fields[rnd.below(5)]);
    // A substring of whole code points.
    std::vector<size_t> starts;
    for (size_t i = 0; i < norm.size(); ++i)
      if ((static_cast<unsigned char>(norm[i]) & 0xC0) != 0x80) starts.push_back(i);
    if (starts.size() < 2) continue;
    const size_t a = static_cast<size_t>(rnd.below(static_cast<int>(starts.size()) - 1));
    const size_t b = std::min(starts.size(), a + 2 + static_cast<size_t>(rnd.below(4)));
    queries.push_back(norm.substr(starts[a], (b == starts.size() ? norm.size() : starts[b]) - starts[a]));
  }
  for (const auto& q : queries) {
    INFO("query " << q);
    const auto got = s.find_text(q, 1'000'000);
    const std::string nq = normalize_text(q);
    if (nq.size() == 1) {
      CHECK(got.too_short);
      continue;
    }
    std::vector<CaseRef> scan;
    for (CaseRef r = 0; r < s.case_count(); ++r) {
      const Case& c = s.at(r);
      for (const Str* f : {&c.customer_name, &c.customer_no, &c.phone, &c.address, &c.number})
        if (normalize_text(*f).find(nq) != std::string::npos) {
          scan.push_back(r);
          break;
        }
    }
    CHECK(sorted(got.refs) == scan);
  }
}

}  // namespace

TEST_CASE("random commands keep every case valid; replaying the events rebuilds the state",
          "[property]") {
  for (uint32_t seed : {1u, 7u, 2024u, 31337u}) {
    INFO("seed " << seed);
    Harness h(seed);
    for (int i = 0; i < 3000; ++i) h.one_command();
    // The run did real work and met real refusals.
    CHECK(h.outcomes["ok"] > 1000);
    CHECK(h.outcomes.size() > 15);
    size_t closed = 0;
    for (const auto& c : h.engine.state().cases()) {
      check_case(h.book, c);
      closed += c.closed() ? 1 : 0;
    }
    CHECK(closed > 50);
    // Every kind of event was written (the run exercised every command).
    std::map<EventType, int> kinds;
    for (const auto& e : h.log) ++kinds[e.type()];
    for (size_t t = 0; t < kEventTypeCount; ++t) {
      INFO("event type " << key_of(static_cast<EventType>(t)));
      if (static_cast<EventType>(t) != EventType::deadline_changed)
        CHECK(kinds[static_cast<EventType>(t)] > 0);
    }
    check_events(h.book, h.dir, h.log);
    check_indexes(h.book, h.engine.state(), h.rnd);

    // Replay, through the JSON form the store keeps.
    State replayed;
    for (const auto& e : h.log) {
      Problem err;
      const auto back = event_from_json(event_to_json(e), err);
      REQUIRE(back);
      REQUIRE(replayed.apply(*back));
    }
    CHECK(replayed.same_as(h.engine.state()));
    CHECK(replayed.events_applied() == h.log.size());
    // The replayed indexes answer the same.
    for (const auto& d : h.book.departments)
      CHECK(sorted(replayed.index().inbox(d.key)) == sorted(h.engine.state().index().inbox(d.key)));
    CHECK(replayed.index().due_before(make_date(2026, 1, 1)) ==
          h.engine.state().index().due_before(make_date(2026, 1, 1)));
    // Replaying a second time changes nothing (events are applied once per site sequence).
    for (const auto& e : h.log) CHECK_FALSE(replayed.apply(e));
    CHECK(replayed.same_as(h.engine.state()));
  }
}

TEST_CASE("text normalization and search", "[index]") {
  CHECK(normalize_text("ＨＱ－２０２５ 0103") == "hq20250103");
  CHECK(normalize_text("张 三\t") == "张三");
  CHECK(normalize_text("A\xff" "B") == "a\xef\xbf\xbd" "b");  // invalid byte -> U+FFFD
  TextIndex t;
  t.set(0, {"张三", "31000001", "13800138000", "荆门市东宝区泉口路12号", "HQ-20250303-0001"});
  t.set(1, {"李四", "31000002", "13900139000", "荆门市掇刀区白庙路8号", "DB-20250303-0001"});
  CHECK(t.find("张", 10).refs == std::vector<CaseRef>{0});
  CHECK(t.find("荆门", 10).refs == std::vector<CaseRef>{1, 0});  // newest first
  CHECK(t.find("0001", 10).refs == std::vector<CaseRef>{1, 0});
  CHECK(t.find("ＤＢ－2025", 10).refs == std::vector<CaseRef>{1});
  CHECK(t.find("138 0013", 10).refs == std::vector<CaseRef>{0});
  CHECK(t.find("三3", 10).refs.empty());  // no match across two fields
  CHECK(t.find("1", 10).too_short);
  CHECK(t.find("", 10).refs.empty());
  CHECK(t.find("王五", 10).refs.empty());
  // A field changes: the old text no longer matches, the new one does.
  t.set(0, {"王五", "31000001", "13800138000", "荆门市东宝区泉口路12号", "HQ-20250303-0001"});
  CHECK(t.find("张三", 10).refs.empty());
  CHECK(t.find("王五", 10).refs == std::vector<CaseRef>{0});
  CHECK(t.find("荆门", 1).refs == std::vector<CaseRef>{1});  // limit
  // One Chinese character, wherever it stands in a field: alone, first, inside, last.
  TextIndex u;
  u.set(0, {"王", "", "", "荆门市东宝区泉口路12号", ""});
  u.set(1, {"王五", "", "", "号楼", ""});
  u.set(2, {"李王", "", "", "", ""});
  CHECK(u.find("王", 10).refs == std::vector<CaseRef>{2, 1, 0});
  CHECK(u.find("号", 10).refs == std::vector<CaseRef>{1, 0});
  CHECK(u.find("区", 10).refs == std::vector<CaseRef>{0});
  CHECK(u.find("五", 10).refs == std::vector<CaseRef>{1});
  CHECK(u.find("赵", 10).refs.empty());
  CHECK(u.find("王", 2).refs == std::vector<CaseRef>{2, 1});  // limit
  CHECK(u.find("Ａ", 10).too_short);
  // Many changes of one case: the texts left behind are dropped from the buffer now and then,
  // and every answer stays exact.
  for (int i = 0; i < 3000; ++i) {
    const std::string name = "赵六" + std::to_string(i);
    t.set(1, {name, "31000002", "13900139000", "荆门市掇刀区白庙路8号", "DB-20250303-0001"});
  }
  CHECK(t.find("李四", 10).refs.empty());
  CHECK(t.find("赵六2999", 10).refs == std::vector<CaseRef>{1});
  CHECK(t.find("赵六299", 10).refs == std::vector<CaseRef>{1});
  CHECK(t.find("王五", 10).refs == std::vector<CaseRef>{0});
  CHECK(t.find("荆门", 10).refs == std::vector<CaseRef>{1, 0});
}

TEST_CASE("text index: postings put off answer the same, whatever is set meanwhile", "[index]") {
  // `eager` posts at once, `lazy` puts off every case set after defer() and catches up in
  // slices; `later` puts off even the texts (set_later wherever it may: it reads the fields
  // from `current` when it needs them, as a State does from its cases). The same random sets
  // (new cases, changed ones on both sides of the posted mark) and queries go to all three.
  std::mt19937 rng(5);
  const char* const names[] = {"张三", "李四", "王五", "欧阳修", "赵六", "钱七"};
  const char* const streets[] = {"泉口路", "白庙路", "象山大道", "月亮湖路"};
  const auto fields = [&](size_t n) {
    return std::vector<std::string>{names[rng() % 6] + std::to_string(n % 13),
                                    "3100" + std::to_string(rng() % 500),
                                    "139" + std::to_string(10'000'000 + rng() % 90'000'000),
                                    std::string("荆门市") + streets[rng() % 4] + std::to_string(rng() % 90) + "号",
                                    "HQ-20250303-" + std::to_string(1000 + n)};
  };
  TextIndex eager, lazy, later;
  std::vector<std::vector<std::string>> current;
  const TextIndex::FieldsOf fields_of = [&](CaseRef ref, std::vector<std::string_view>& out) {
    out.insert(out.end(), current.at(ref).begin(), current.at(ref).end());
  };
  size_t set_later = 0;
  const auto set_all = [&](CaseRef ref, const std::vector<std::string>& f) {
    eager.set(ref, {f[0], f[1], f[2], f[3], f[4]});
    lazy.set(ref, {f[0], f[1], f[2], f[3], f[4]});
    if (current.size() <= ref) current.resize(ref + 1);
    current[ref] = f;
    if (later.can_set_later(ref)) {
      later.set_later(ref);
      ++set_later;
    } else {
      later.set(ref, {f[0], f[1], f[2], f[3], f[4]});
    }
  };
  const auto set_both = [&](CaseRef ref) { set_all(ref, fields(ref)); };
  size_t cases = 0;
  for (; cases < 200; ++cases) set_both(static_cast<CaseRef>(cases));
  CHECK(set_later == 0);  // nothing put off before defer()
  lazy.defer();
  later.defer();
  for (; cases < 400; ++cases) set_both(static_cast<CaseRef>(cases));  // all put off
  const std::vector<std::string> queries = {"张三", "泉口路", "3100", "修", "号", "HQ2025", "1390", "四1", "x",
                                           "司马光"};
  const auto same = [&](const char* when) {
    for (const auto& q : queries) {
      INFO(when << ": " << q);
      for (size_t limit : {3, 50, 1000}) {
        const auto a = eager.find(q, limit), b = lazy.find(q, limit);
        CHECK(a.refs == b.refs);
        CHECK(a.too_short == b.too_short);
        const auto c = later.find(q, limit, fields_of);
        CHECK(a.refs == c.refs);
        CHECK(a.too_short == c.too_short);
      }
    }
  };
  same("all put off");
  for (int slice = 0; !lazy.complete(); ++slice) {
    CHECK(slice < 20);
    if (slice == 3) {  // the rest at once (SIZE_MAX, as a bench does), after slices before
      CHECK(lazy.catch_up(SIZE_MAX));
      CHECK(lazy.complete());
      CHECK(later.catch_up(SIZE_MAX, fields_of));
    } else {
      lazy.catch_up(37);
      later.catch_up(37, fields_of);
    }
    if (slice == 0) {  // the last case posted and the first not posted change their name
      for (const CaseRef ref : {CaseRef{236}, CaseRef{237}}) {
        auto f = fields(ref);
        f[0] = "司马光" + std::to_string(ref);
        set_all(ref, f);
      }
      CHECK(eager.find("司马光", 10).refs == std::vector<CaseRef>{237, 236});
      same("the posted mark's neighbours changed");
    }
    CHECK(later.complete() == lazy.complete());
    for (int k = 0; k < 10; ++k) {  // changes on both sides of the mark, and new cases
      if (rng() % 3 == 0) set_both(static_cast<CaseRef>(cases++));
      else set_both(static_cast<CaseRef>(rng() % cases));
    }
    same("catching up");
    if (slice > 50) break;
  }
  CHECK(lazy.complete());
  CHECK(later.complete());
  CHECK(set_later > 200);  // the texts put off: every case set after defer() and not yet posted
  for (int k = 0; k < 50; ++k) set_both(static_cast<CaseRef>(rng() % cases));
  same("complete");
}

TEST_CASE("posting list: the refs added, each once, in order, however they come", "[index]") {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    PostingList list;
    std::set<CaseRef> want;
    CaseRef top = 0;
    const int adds = 1 + static_cast<int>(rng() % 3000);
    for (int i = 0; i < adds; ++i) {
      CaseRef r;
      switch (rng() % 10) {
        case 0: r = top; break;                                   // the same ref again
        case 1: r = want.empty() ? 0 : static_cast<CaseRef>(rng() % (top + 1)); break;  // older
        case 2: r = top + 200'000 + static_cast<CaseRef>(rng() % 5'000'000); break;      // far gap
        default: r = top + 1 + static_cast<CaseRef>(rng() % 40); break;                  // near gap
      }
      list.add(r);
      want.insert(r);
      top = std::max(top, r);
    }
    REQUIRE(list.size() == want.size());
    std::vector<CaseRef> all;
    list.append_to(all);
    CHECK(all == std::vector<CaseRef>(want.begin(), want.end()));
    std::multiset<CaseRef> seen;
    list.for_each([&seen](CaseRef r) { seen.insert(r); });
    CHECK(seen == std::multiset<CaseRef>(want.begin(), want.end()));
    // Membership and intersection against the set, for refs in and out of the list.
    std::vector<CaseRef> probe;
    for (int i = 0; i < 500; ++i) probe.push_back(static_cast<CaseRef>(rng() % (top + 2)));
    for (CaseRef r : want)
      if (rng() % 4 == 0) probe.push_back(r);
    std::sort(probe.begin(), probe.end());
    probe.erase(std::unique(probe.begin(), probe.end()), probe.end());
    std::vector<CaseRef> common;
    for (CaseRef r : probe) {
      REQUIRE(list.contains(r) == (want.count(r) == 1));
      if (want.count(r)) common.push_back(r);
    }
    list.keep_common(probe);
    CHECK(probe == common);
  }
}

TEST_CASE("text index: every answer is what a scan of the texts gives", "[index]") {
  // Few distinct characters, so that posting lists run to thousands of refs (many runs to seek
  // in); cases set again (their refs then go into lists out of order).
  std::mt19937 rng(23);
  const char* const parts[] = {"张", "王", "泉口", "路", "1", "2", "3", "号", "东宝", "ab"};
  const auto text = [&] {
    std::string s;
    for (int i = 1 + static_cast<int>(rng() % 6); i > 0; --i) s += parts[rng() % 10];
    return s;
  };
  TextIndex index;
  std::vector<std::vector<std::string>> docs;
  const auto set = [&](CaseRef ref) {
    std::vector<std::string> f = {text(), text(), text()};
    index.set(ref, {f[0], f[1], f[2]});
    if (docs.size() <= ref) docs.resize(ref + 1);
    docs[ref] = f;
  };
  for (CaseRef r = 0; r < 4000; ++r) set(r);
  for (int i = 0; i < 1500; ++i) set(static_cast<CaseRef>(rng() % 4000));
  for (int q = 0; q < 300; ++q) {
    const std::string query = text();
    const std::string needle = normalize_text(query);
    for (size_t limit : {5, 100000}) {
      std::vector<CaseRef> want;
      for (size_t ref = docs.size(); ref-- > 0 && want.size() < limit;)
        for (const auto& f : docs[ref])
          if (normalize_text(f).find(needle) != std::string::npos) {
            want.push_back(static_cast<CaseRef>(ref));
            break;
          }
      const auto got = index.find(query, limit);
      INFO(query << " limit " << limit);
      if (got.too_short) {
        CHECK(needle.size() == 1);
        continue;
      }
      CHECK(got.refs == want);
    }
  }
}

TEST_CASE("text blocks: every piece reads back as appended, across blocks and past a block's size",
          "[index]") {
  std::mt19937 rng(29);
  TextBlocks blocks;
  std::vector<std::pair<uint32_t, std::string>> kept;
  size_t bytes = 0;
  for (int i = 0; i < 3000; ++i) {
    // Mostly case-sized pieces (blocks fill and new ones start), some empty, a few larger than
    // a block (256 KiB) or exactly its size.
    size_t size = rng() % 200;
    if (i % 500 == 7) size = (size_t{1} << 18) + rng() % 300'000;
    if (i == 1234) size = size_t{1} << 18;
    if (i % 97 == 0) size = 0;
    std::string piece(size, '\0');
    for (char& c : piece) c = static_cast<char>('a' + rng() % 26);
    kept.emplace_back(blocks.append(piece), piece);
    bytes += size;
  }
  for (const auto& [place, piece] : kept) {
    INFO(piece.size());
    REQUIRE(blocks.at(place, static_cast<uint32_t>(piece.size())) == piece);
  }
  CHECK(blocks.size() == bytes);
}
