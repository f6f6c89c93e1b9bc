#include "core/demo.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "core/date.h"

namespace onestop {
namespace {

const char* const kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "吴", "周",
                                 "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
const char* const kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                              "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "建国", "秀英"};
const char* const kDistricts[] = {"东宝区", "掇刀区", "京山市", "沙洋县", "钟祥市"};
const char* const kRoads[] = {"泉口路", "白庙路", "象山大道", "月亮湖路", "长宁大道", "深圳大道",
                              "海慧路", "金虾路", "凤凰路", "培公大道"};
const char* const kReasons[] = {"资料不全，请补交", "需用户现场确认", "等待上级审批", "用户要求暂缓"};

constexpr Millis kHour = 3'600'000;
constexpr Millis kDay = 24 * kHour;

// Text of a std::string or an interned key alike.
std::string text(std::string_view s) { return std::string(s); }

template <typename From, typename To>
void copy_all(const From& from, To& to) {
  to.clear();
  for (const auto& x : from) to.push_back(x);
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return out;
}

std::string badge(std::string_view dept, Role role) {
  return upper(dept) + "-" + upper(key_of(role));
}

// Milliseconds since midnight, China time.
Millis time_of_day(Millis t) {
  const Millis local = t + kChinaUtcOffsetMillis;
  return ((local % kDay) + kDay) % kDay;
}

struct Plan {
  bool stay_open = false;  // left somewhere in the middle, as a live store has many
  int stop_after = 0;      // … after this many actions
  bool slow = false;       // left to run late: overdue, chased, reported, ruled
  bool reopen = false;     // reopened once after closing
  bool pause = false;      // paused once while it runs
  bool transfer = false;   // transferred once
  bool duplicate = false;  // a repeat of an earlier case
  bool follow_up = false;  // continues an earlier closed case
};

struct Live {
  std::string id;
  Plan plan;
  int actions = 0;
  bool paused_once = false, transferred = false, reopened = false;
  Millis wake = 0;  // not acted on before this time
  Millis slow_since = 0;
};

class Sim {
 public:
  Sim(Engine& engine, const ProcessBook& book, const Directory& dir, const DemoOptions& o,
      const std::function<bool()>& after, DemoReport& rep)
      : engine_(engine), book_(book), dir_(dir), after_(after), rep_(rep), rng_(o.seed) {
    now_ = o.start;
    if (now_ == 0) now_ = int64_t{make_date(2025, 1, 2).days} * kDay + 8 * kHour + 30 * 60'000 -
                          kChinaUtcOffsetMillis;
    offset_ = static_cast<size_t>(rng_() % std::max<size_t>(book.routing.size(), 1));
    for (int i = 0; i < 400; ++i) customers_.push_back(std::to_string(31'000'000 + i * 37));
    // Acceptors at the window (the counter's department), else any.
    for (const auto& s : dir.staff)
      if (s.has(Role::acceptor) && s.department == "window") acceptors_.push_back(s.badge);
    if (acceptors_.empty())
      for (const auto& s : dir.staff)
        if (s.has(Role::acceptor)) acceptors_.push_back(s.badge);
    for (const auto& s : dir.staff)
      if (s.has(Role::discipline)) discipline_ = s.badge;
  }

  void run(size_t cases) {
    const size_t pool_target = std::clamp<size_t>(cases / 4, 8, 300);
    Date last_scan = china_date_of(now_);
    // Every case ends within a bounded number of actions; the bound only guards the loop.
    const size_t max_rounds = cases * 400 + 100'000;
    for (size_t round = 0; round < max_rounds && !rep_.stopped &&
                           (rep_.cases < cases || !pool_.empty());
         ++round) {
      tick();
      const Date today = china_date_of(now_);
      if (today.days != last_scan.days) {
        last_scan = today;
        attempt(engine_.scan_overdue(acceptor(), now_), "scan_overdue");
      }
      if (rep_.cases < cases && (pool_.size() < pool_target || below(100) < 10)) {
        accept();
      } else if (!pool_.empty()) {
        advance(static_cast<size_t>(below(static_cast<int>(pool_.size()))));
      }
    }
  }

 private:
  int below(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool chance(int percent) { return below(100) < percent; }
  template <typename T, size_t N>
  const T& pick(const T (&a)[N]) {
    return a[static_cast<size_t>(below(static_cast<int>(N)))];
  }
  std::string name() { return std::string(pick(kSurnames)) + pick(kGiven); }
  std::string address() {
    return std::string("荆门市") + pick(kDistricts) + pick(kRoads) +
           std::to_string(1 + below(300)) + "号";
  }
  std::string phone() {
    std::string p = "13";
    for (int i = 0; i < 9; ++i) p += static_cast<char>('0' + below(10));
    return p;
  }
  const std::string& acceptor() {
    return acceptors_[static_cast<size_t>(below(static_cast<int>(acceptors_.size())))];
  }

  // Office hours 08:30–17:30; a few minutes between commands.
  void tick() {
    now_ += 30'000 + below(150) * 1'000;
    if (time_of_day(now_) > 17 * kHour + 30 * 60'000)
      now_ += kDay - time_of_day(now_) + 8 * kHour + 30 * 60'000;
  }

  // A plausible value of field `f` for case `number`.
  std::string field_value(const std::string& f, std::string_view number) {
    if (f == "new_base_volume") return std::to_string(8 + below(20));
    if (f == "meter_reading") return std::to_string(100 + below(9000));
    if (f == "amount_paid" || f == "test_fee" || f == "refund")
      return std::to_string(20 + below(500)) + ".00";
    if (f == "survey_date") return format_date(china_date_of(now_));
    if (f == "new_phone" || f == "new_holder_phone" || f == "phone") return phone();
    if (f == "new_holder_name" || f == "customer_name") return name();
    if (f == "address") return address();
    if (f == "customer_no") return customers_[static_cast<size_t>(below(400))];
    if (f == "meter_no" || f == "new_meter_no") return "JM" + std::to_string(100000 + below(900000));
    if (f == "seal_intact") return chance(90) ? "是" : "否";
    if (f == "payment_status") return chance(80) ? "已结清" : "欠费已补缴";
    if (f == "test_result") return chance(70) ? "合格" : "超差";
    if (f == "new_category") return chance(50) ? "居民生活用水" : "非居民用水";
    if (f == "new_ratio") return "居民 70% / 非居民 30%";
    if (f == "suspension_period") return std::to_string(1 + below(12)) + "个月";
    if (f == "contract_no") return "HT" + std::to_string(2025000 + below(9999));
    return f + "：" + std::string(number);
  }

  std::string step_actor(const Case& c, const StepDef& s) {
    const std::string dept = s.department.empty() || s.department == kAnyDept
                                 ? text(c.responsible_dept)
                                 : text(s.department);
    const Role role = s.role ? *s.role : Role::handler;
    const std::string b = badge(dept, role);
    if (dir_.find_staff(b)) return b;
    for (const auto& st : dir_.staff)
      if (st.has(role) && (s.department == kAnyDept || st.department == dept)) return st.badge;
    return acceptor();
  }

  void signatures_for(const StepDef& s, const std::string& actor, const std::string& customer,
                      const std::string& dept, std::vector<ev::Sign>& out) {
    const Staff* who = dir_.find_staff(actor);
    for (const auto& sig : s.signatures) {
      if (sig == kCustomerSigner) {
        out.push_back({sig, customer.empty() ? "用户" : customer});
        continue;
      }
      const auto role = role_from_key(sig);
      if (!role || (who && who->has(*role))) continue;
      const std::string b = badge(dept, *role);
      if (dir_.find_staff(b)) {
        out.push_back({sig, b});
        continue;
      }
      for (const auto& st : dir_.staff)
        if (st.has(*role)) {
          out.push_back({sig, st.badge});
          break;
        }
    }
  }

  bool attempt(const Result& r, const std::string& action) {
    if (!r.ok) {
      if (rep_.refused++ == 0) rep_.first_refusal = r.problem;
      ++rep_.refusals[action + ": " + r.problem.en()];
      return false;
    }
    ++rep_.commands;
    ++rep_.actions[action];
    rep_.events += r.events;
    if (r.events > 0 && after_ && !after_()) rep_.stopped = true;
    return true;
  }

  void accept() {
    // Every matter in turn, with a random start so that seeds differ.
    const auto& row = book_.routing[(next_row_++ + offset_) % book_.routing.size()];
    const ProcessDef* p = book_.process(row.process);
    if (!p || p->steps.empty()) return;
    AcceptCmd a;
    a.actor = acceptor();
    a.time = now_;
    a.matter = row.key;
    a.customer_no = customers_[static_cast<size_t>(below(400))];
    a.customer_name = name();
    a.address = address();
    a.phone = phone();
    a.customer_type = static_cast<CustomerType>(chance(80) ? 0 : below(kCustomerTypeCount));
    a.demand = "用户来厅办理：" + row.zh;
    if (chance(20)) a.remarks = "用户要求电话联系";
    const StepDef& first = p->steps[0];
    for (const auto& f : first.fields)
      if (!is_core_field(f)) a.fields.push_back({f, field_value(f, "new")});
    copy_all(first.documents, a.documents);
    signatures_for(first, a.actor, a.customer_name, row.department, a.signatures);
    if (first.next.size() > 1)
      a.outcome = first.next[static_cast<size_t>(below(static_cast<int>(first.next.size())))].outcome;
    Plan plan;
    plan.stay_open = chance(15);
    plan.stop_after = 1 + below(4);
    plan.slow = chance(6);
    plan.reopen = chance(3);
    plan.pause = chance(8);
    plan.transfer = chance(5);
    plan.duplicate = chance(2) && !all_.empty();
    plan.follow_up = chance(2) && !closed_.empty();
    if (chance(4) && !first.documents.empty()) {
      // Documents missing at the counter: registered, clock paused until they come.
      a.hold = true;
      a.hold_reason = pick(kReasons);
      copy_all(a.documents, a.documents_needed);
      a.documents.clear();
    }
    const Result r = engine_.accept(a);
    if (!attempt(r, "accept")) return;
    ++rep_.cases;
    ++rep_.processes[row.process];
    all_.push_back(r.case_id);
    const Case* created = engine_.state().find(r.case_id);
    if (plan.duplicate && created && !created->closed()) {
      // An earlier case that is not itself a duplicate.
      const std::string& other = all_[static_cast<size_t>(below(static_cast<int>(all_.size() - 1)))];
      const Case* o = engine_.state().find(other);
      if (o && o->duplicate_of.empty() &&
          attempt(engine_.mark_duplicate({acceptor(), now_, r.case_id, other}), "duplicate"))
        return;  // a duplicate is closed at once
    }
    if (plan.follow_up) {
      const std::string& other =
          closed_[static_cast<size_t>(below(static_cast<int>(closed_.size())))];
      attempt(engine_.link_follow_up({acceptor(), now_, r.case_id, other}), "follow_up");
    }
    Live live;
    live.id = r.case_id;
    live.plan = plan;
    live.wake = now_ + (a.hold ? kDay : 0);
    pool_.push_back(std::move(live));
  }

  void drop(size_t i) {
    pool_[i] = std::move(pool_.back());
    pool_.pop_back();
  }

  void advance(size_t i) {
    Live& l = pool_[i];
    const Case* c = engine_.state().find(l.id);
    if (!c) return drop(i);
    if (now_ < l.wake) return;
    if (l.plan.stay_open && l.actions >= l.plan.stop_after) return drop(i);
    if (l.plan.slow && c->escalation->stage == Escalation::none && clock_running(*c)) {
      // Left alone until the daily scan finds it overdue (a few days at most).
      if (l.slow_since == 0) l.slow_since = now_;
      if (now_ - l.slow_since < 12 * kDay) {
        l.wake = now_ + 2 * kHour;
        return;
      }
      l.plan.slow = false;
    }
    ++l.actions;
    const std::string id = l.id;
    bool ok = true;
    if (c->closed()) {
      if (l.plan.reopen && !l.reopened) {
        l.reopened = true;
        ok = attempt(engine_.reopen({acceptor(), now_, id, "用户对处理结果不满意，要求重新办理", {}}),
                     "reopen");
      } else {
        closed_.push_back(id);
        return drop(i);
      }
    } else if (c->paused()) {
      ResumeCmd r{acceptor(), now_, id, {}, "用户已补交资料"};
      for (const auto& d : c->pauses.back().documents_needed) r.documents.push_back(d);
      ok = attempt(engine_.resume(r), "resume");
    } else if (c->escalation->stage == Escalation::overdue) {
      ok = attempt(engine_.chase({acceptor(), now_, id, "已电话催办承办部门", chance(60)}), "chase");
    } else if (c->escalation->stage == Escalation::chased && chance(50)) {
      ok = attempt(engine_.report({acceptor(), now_, id, "承办部门逾期未办结", {}}), "report");
    } else if (c->escalation->stage == Escalation::reported && !discipline_.empty()) {
      ok = attempt(engine_.rule({discipline_, now_, id, chance(40), "经核查，情况属实"}), "rule");
    } else if (l.plan.pause && !l.paused_once && !c->at_end) {
      l.paused_once = true;
      const std::string who = badge(holder_dept(*c), Role::handler);
      ok = attempt(engine_.pause({dir_.find_staff(who) ? who : acceptor(), now_, id,
                                  pick(kReasons), {}}),
                   "pause");
      pool_[i].wake = now_ + kDay / 2;
    } else if (l.plan.transfer && !l.transferred && !c->at_end && book_.departments.size() > 1) {
      l.transferred = true;
      const auto& d = book_.departments[static_cast<size_t>(
          below(static_cast<int>(book_.departments.size())))];
      const std::string who = badge(c->responsible_dept, Role::handler);
      ok = attempt(engine_.transfer({dir_.find_staff(who) ? who : acceptor(), now_, id, d.key,
                                     badge(d.key, Role::handler), "转相关部门办理"}),
                   "transfer");
    } else if (!c->at_end) {
      const ProcessDef* p = book_.process(c->process);
      const StepDef* s = p ? p->step(c->step) : nullptr;
      if (!s) return drop(i);
      ActCmd a;
      a.case_id = id;
      a.time = now_;
      a.step = c->step;
      if (s->next.size() > 1)
        a.outcome = s->next[static_cast<size_t>(below(static_cast<int>(s->next.size())))].outcome;
      a.actor = step_actor(*c, *s);
      for (const auto& f : s->fields)
        if (case_field(*c, f).empty()) a.fields.push_back({f, field_value(f, c->number)});
      copy_all(s->documents, a.documents);
      const std::string dept = s->department.empty() || s->department == kAnyDept
                                   ? text(c->responsible_dept)
                                   : text(s->department);
      signatures_for(*s, a.actor, c->customer_name.str(), dept, a.signatures);
      if (chance(30)) a.note = "已按规定办理";
      ok = attempt(engine_.act(a), "act:" + (a.outcome.empty() ? text(c->step) : text(a.outcome)));
    } else if (c->needs_reply && !c->replied) {
      ok = attempt(engine_.reply({badge(c->responsible_dept, Role::handler), now_, id,
                                  chance(90) ? "已按用户要求办理完毕" : "经现场核实，已处理"}),
                   "reply");
    } else if (c->needs_visit && !c->visit) {
      const int rating = chance(70) ? 5 : 1 + below(5);
      ok = attempt(engine_.visit({acceptor(), now_, id, rating, rating >= 4 ? "满意" : "一般"}),
                   "visit");
    } else {
      ok = attempt(engine_.close({acceptor(), now_, id, {}}), "close");
    }
    // A refused command leaves the case where it is (counted in the report).
    if (!ok) {
      for (size_t j = 0; j < pool_.size(); ++j)
        if (pool_[j].id == id) return drop(j);
    }
  }

  Engine& engine_;
  const ProcessBook& book_;
  const Directory& dir_;
  const std::function<bool()>& after_;
  DemoReport& rep_;
  std::mt19937_64 rng_;
  Millis now_ = 0;
  size_t next_row_ = 0, offset_ = 0;
  std::vector<std::string> customers_, acceptors_, all_, closed_;
  std::string discipline_;
  std::vector<Live> pool_;
};

}  // namespace

Directory demo_directory(const ProcessBook& book, const std::string& site) {
  Directory d;
  d.sites.push_back(Site{site, "营业厅 " + site, "Office " + site, true});
  for (const auto& dept : book.departments) {
    for (int r = 0; r < kRoleCount; ++r) {
      const Role role = static_cast<Role>(r);
      Staff s;
      s.badge = badge(dept.key, role);
      s.name = dept.zh + std::string(tr(name_of(role), Lang::zh));
      s.department = dept.key;
      s.site = site;
      s.roles = role_bit(role);
      d.staff.push_back(std::move(s));
    }
  }
  return d;
}

DemoReport run_demo(Engine& engine, const ProcessBook& book, const Directory& directory,
                    const DemoOptions& options, const std::function<bool()>& after_command) {
  DemoReport rep;
  if (book.routing.empty()) return rep;
  DemoOptions o = options;
  if (o.start == 0) {
    // Carry on after the events already there (a store extended by a second run).
    for (const auto& c : engine.state().cases())
      for (const auto& h : c.history) o.start = std::max(o.start, h.time + kHour);
  }
  Sim sim(engine, book, directory, o, after_command, rep);
  sim.run(o.cases);
  return rep;
}

}  // namespace onestop
