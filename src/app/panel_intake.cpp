// 受理登记: the clerk registers a request (the A9 form's counter fields) and it is routed by the
// matter chosen, with its deadline computed in working days.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/item_registry.h"
#include "app/panels.h"
#include "core/problem.h"

namespace onestop::app {

namespace {

const char* row_name(const RoutingRow& row, Lang lang) { return lang == Lang::zh ? row.zh.c_str() : row.en.c_str(); }

std::string due_text(const Case& c, Lang lang) {
  if (!c.due.set) return tr(Text::DueNone, lang);
  std::string s = format_date(c.due.date);
  if (c.due.provisional) s += tr(Text::Provisional, lang);
  return s;
}

}  // namespace

void draw_intake_panel(AppState& state) {
  const Lang lang = state.lang();
  if (!state.ledger) {
    if (state.ledger_waits_for_rest) ImGui::TextUnformatted(tr(Text::StoreLoadingRest, lang));
    if (!state.ledger_error.empty()) ImGui::TextColored(ImVec4(0.85f, 0.2f, 0.2f, 1), "%s", state.ledger_error.c_str());
    return;
  }
  const ProcessBook& book = builtin_processes();
  IntakeForm& f = state.intake;
  ImGui::BeginDisabled(!state.can_edit() || state.ledger->read_only());
  ImGui::PushItemWidth(420);
  if (f.matter < 0 || f.matter >= static_cast<int>(book.routing.size())) f.matter = 0;
  const bool combo_open = !book.routing.empty() &&
      ImGui::BeginCombo(tr(Text::FieldMatter, lang), row_name(book.routing[static_cast<size_t>(f.matter)], lang),
                        ImGuiComboFlags_HeightLargest);
  item_registry_name_last_item(tr(Text::FieldMatter, lang));
  if (combo_open) {
    for (size_t i = 0; i < book.routing.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::Selectable(row_name(book.routing[i], lang), static_cast<int>(i) == f.matter)) f.matter = static_cast<int>(i);
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  ImGui::InputText(tr(Text::FieldCustomerNo, lang), &f.customer_no);
  ImGui::InputText(tr(Text::FieldCustomerName, lang), &f.customer_name);
  ImGui::InputText(tr(Text::FieldPhone, lang), &f.phone);
  ImGui::InputText(tr(Text::FieldAddress, lang), &f.address);
  ImGui::InputTextMultiline(tr(Text::FieldDemand, lang), &f.demand, ImVec2(420, ImGui::GetTextLineHeight() * 4));
  ImGui::PopItemWidth();
  if (ImGui::Button(tr(Text::ButtonAccept, lang)) && !book.routing.empty()) {
    AcceptCmd cmd;
    cmd.actor = state.actor;
    cmd.time = state.now ? state.now() : 0;
    cmd.matter = book.routing[static_cast<size_t>(f.matter)].key;
    cmd.customer_no = f.customer_no;
    cmd.customer_name = f.customer_name;
    cmd.phone = f.phone;
    cmd.address = f.address;
    cmd.demand = f.demand;
    const Result r = submit(state, [&](Engine& e) { return e.accept(cmd); });
    if (!r.ok) {
      f.message = r.problem.in(lang);
      f.message_is_error = true;
    } else {
      const Case* c = state.ledger->engine().state().find(r.case_id);
      const Department* dept = c ? book.department(c->responsible_dept) : nullptr;
      const std::string dept_name = dept ? (lang == Lang::zh ? dept->zh : dept->en) : std::string();
      f.message = Problem{Text::AcceptedCase, {r.case_id, dept_name, c ? due_text(*c, lang) : ""}}.in(lang);
      f.message_is_error = false;
      if (!state.ledger->commit_status().ok()) {
        f.message += "\n" + Problem{Text::CommitFailed, {state.ledger->commit_status().to_string()}}.in(lang);
        f.message_is_error = true;
      }
      f.customer_no.clear();
      f.customer_name.clear();
      f.phone.clear();
      f.address.clear();
      f.demand.clear();
    }
  }
  ImGui::EndDisabled();
  if (!f.message.empty()) {
    const ImVec4 color = f.message_is_error ? ImVec4(0.85f, 0.2f, 0.2f, 1) : ImVec4(0.15f, 0.5f, 0.25f, 1);
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextWrapped("%s", f.message.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace onestop::app
