// 受理单查询: cases found by name, customer number, phone, address or case number (served from
// the engine's text index), or the most recent ones; drawn with a clipper, so only the visible
// rows cost anything.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/panels.h"
#include "core/problem.h"

namespace onestop::app {

namespace {

constexpr size_t kMaxRows = 500;

void refresh(AppState& state) {
  CaseListView& v = state.case_list;
  const Engine& engine = state.ledger->engine();
  const size_t events = engine.state().events_applied();
  if (v.query == state.search_text && v.events_seen == events) return;
  v.query = state.search_text;
  v.events_seen = events;
  v.rows.clear();
  if (!v.query.empty()) {
    v.rows = engine.search(v.query, kMaxRows);
    return;
  }
  // Heads only (number, name, phone, step, due, status): the first frame after opening must
  // not wait for every case's details.
  const auto& cases = engine.state().case_heads();
  const size_t n = std::min(cases.size(), kMaxRows);
  for (size_t i = 0; i < n; ++i) v.rows.push_back(&cases[cases.size() - 1 - i]);
}

std::string step_name(const Case& c, Lang lang) {
  const ProcessDef* p = builtin_processes().process(c.process);
  const StepDef* s = p ? p->step(c.step) : nullptr;
  if (!s) return c.step.str();
  return lang == Lang::zh ? s->zh : s->en;
}

}  // namespace

void draw_case_list_panel(AppState& state) {
  const Lang lang = state.lang();
  if (!state.ledger) return;
  refresh(state);
  const auto& rows = state.case_list.rows;
  if (state.search_text.empty()) ImGui::TextDisabled("%s", tr(Text::RecentCases, lang));
  ImGui::TextUnformatted(Problem{Text::CasesFound, {std::to_string(rows.size())}}.in(lang).c_str());
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("##cases", 6, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(tr(Text::ColCaseNo, lang));
  ImGui::TableSetupColumn(tr(Text::ColCustomer, lang));
  ImGui::TableSetupColumn(tr(Text::FieldPhone, lang));
  ImGui::TableSetupColumn(tr(Text::ColStep, lang));
  ImGui::TableSetupColumn(tr(Text::ColDue, lang));
  ImGui::TableSetupColumn(tr(Text::ColStatus, lang));
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const Case& c = *rows[static_cast<size_t>(i)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Selectable(c.number.c_str(), false, ImGuiSelectableFlags_SpanAllColumns);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.customer_name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.phone.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(step_name(c, lang).c_str());
      ImGui::TableNextColumn();
      if (c.due.set)
        ImGui::Text("%s%s", format_date(c.due.date).c_str(), c.due.provisional ? tr(Text::Provisional, lang) : "");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(tr(c.status == CaseStatus::open ? Text::StatusOpen : Text::StatusClosed, lang));
    }
  }
  ImGui::EndTable();
}

}  // namespace onestop::app
