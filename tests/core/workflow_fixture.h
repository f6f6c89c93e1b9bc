#pragma once
// A small company for the workflow tests: two sites, one person per role and department, the
// built-in process definitions and calendar, and helpers that act "as the right person would".
#include <ostream>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/process.h"
#include "core/workflow.h"

namespace onestop {
inline std::ostream& operator<<(std::ostream& o, Key k) { return o << k.view(); }
}  // namespace onestop

namespace onestop::testing {

// 10:00 China time on the given day (plus `hours`).
inline Millis at(int y, unsigned m, unsigned d, int hour = 10) {
  return int64_t{make_date(y, m, d).days} * 86'400'000 + int64_t{hour} * 3'600'000 -
         kChinaUtcOffsetMillis;
}

inline Staff person(std::string badge, std::string dept, std::string site,
                    std::initializer_list<Role> roles) {
  Staff s;
  s.badge = std::move(badge);
  s.name = "员工" + s.badge;
  s.department = std::move(dept);
  s.site = std::move(site);
  for (Role r : roles) s.roles |= role_bit(r);
  return s;
}

inline Directory company() {
  Directory d;
  d.sites = {{"HQ", "总公司营业厅", "Main office", true}, {"DB", "东宝营业所", "Dongbao branch", false}};
  d.staff = {
      person("W01", "window", "HQ", {Role::acceptor}),
      person("W02", "window", "DB", {Role::acceptor}),
      person("C01", "csc", "HQ", {Role::handler}),
      person("C02", "csc", "HQ", {Role::handler, Role::department_head}),
      person("B01", "billing", "HQ", {Role::handler}),
      person("B02", "billing", "HQ", {Role::meter_reader}),
      person("B03", "billing", "HQ", {Role::meter_fitter}),
      person("B04", "billing", "HQ", {Role::system_maintainer}),
      person("B05", "billing", "HQ", {Role::department_head}),
      person("M01", "meter_shop", "HQ", {Role::meter_calibrator}),
      person("N01", "network", "HQ", {Role::handler}),
      person("E01", "engineering", "HQ", {Role::handler}),
      person("E02", "engineering", "HQ", {Role::department_head}),
      person("D01", "discipline", "HQ", {Role::discipline, Role::handler}),
      person("A01", "csc", "HQ", {Role::admin}),
  };
  return d;
}

// A staff member who may act at `step` of case `c` (role and department), or "".
inline std::string actor_for(const Directory& dir, const Case& c, const StepDef& step) {
  const std::string dept = step.department.empty() ? c.responsible_dept : step.department;
  for (const auto& s : dir.staff)
    if ((!step.role || s.has(*step.role)) && (step.department == kAnyDept || s.department == dept))
      return s.badge;
  return {};
}

// The command that does the current step of `c` properly: the right person, every required
// field filled, every document handed in, the customer's signature when asked for.
inline ActCmd proper_act(const ProcessBook& book, const Directory& dir, const Case& c, Millis time,
                         const std::string& outcome = {}) {
  ActCmd a;
  a.case_id = c.number;
  a.time = time;
  a.step = c.step;
  a.outcome = outcome;
  const ProcessDef* p = book.process(c.process);
  if (!p) return a;
  const StepDef* s = p->step(c.step);
  if (!s) return a;
  a.actor = actor_for(dir, c, *s);
  for (const auto& f : s->fields)
    if (case_field(c, f).empty())
      a.fields.push_back({f, f == "new_base_volume" ? "12" : f + " of " + c.number.str()});
  a.documents = s->documents;
  for (const auto& sig : s->signatures) {
    if (sig == kCustomerSigner) {
      a.signatures.push_back({sig, c.customer_name.empty() ? "某用户" : c.customer_name.str()});
      continue;
    }
    // Another person holding that role signs (the actor signs for his own roles by himself).
    const auto role = role_from_key(sig);
    const Staff* actor = dir.find_staff(a.actor);
    if (role && actor && actor->has(*role)) continue;
    for (const auto& st : dir.staff)
      if (role && st.has(*role)) {
        a.signatures.push_back({sig, st.badge});
        break;
      }
  }
  return a;
}

// An accept command for `matter` with everything its first step asks for.
inline AcceptCmd proper_accept(const ProcessBook& book, const std::string& matter, Millis time,
                               const std::string& actor = "W01") {
  AcceptCmd a;
  a.actor = actor;
  a.time = time;
  a.matter = matter;
  a.customer_no = "3100" + std::to_string(time % 9973);
  a.customer_name = "张三";
  a.address = "荆门市东宝区泉口路12号";
  a.phone = "13800138000";
  a.demand = "诉求：" + matter;
  const RoutingRow* row = book.matter(matter);
  const ProcessDef* p = row ? book.process(row->process) : nullptr;
  if (!p) return a;
  const StepDef& first = p->steps[0];
  for (const auto& f : first.fields)
    if (!is_core_field(f)) a.fields.push_back({f, f == "new_base_volume" ? "12" : f + " value"});
  a.documents = first.documents;
  for (const auto& sig : first.signatures)
    if (sig == kCustomerSigner) a.signatures.push_back({sig, a.customer_name});
  return a;
}

}  // namespace onestop::testing
