// Layout ("n" = unsigned LEB128, "s" = n length + bytes, "l" = n count + that many s, "b" = one
// byte 0 or 1, limit = four n, each the days + 1 so that -1 is 0):
//   "OSPI" · n version · n format · departments {s key, zh, en}* · documents {s key, zh, en}* ·
//   fields {s key, zh, en}* · processes {s key, zh, en · n mode · n summary · s department ·
//   s form · limit · b reply · b return_visit · b auto_close · steps {s key, zh, en · n role + 1
//   (0 none) · s department · l fields · l documents · l signatures · limit · next {s outcome,
//   zh, en, to}* · b terminal · effects {s attribute, value, field}*}*}* · routing {s key, zh,
//   en · n mode · s department · s with · l forward_to · s process · s source}*
// where {…}* is n count + that many items. Every member of the structs in core/process.h is
// written; a member added there without being added here makes the image test fail (it
// compares whole books).
#include "core/process_image.h"

#include <cstdint>
#include <iterator>

#include "core/varint.h"

namespace onestop {

extern const std::string_view kProcessImage;  // process_image_data.cpp (generated)

namespace {

constexpr char kMagic[4] = {'O', 'S', 'P', 'I'};
constexpr uint64_t kVersion = 1;

class Writer {
 public:
  void n(uint64_t v) { put_varint(std::back_inserter(out_), v); }
  void s(std::string_view v) {
    n(v.size());
    out_.append(v);
  }
  template <class... More>
  void s(std::string_view v, const More&... more) {
    s(v);
    (s(more), ...);
  }
  void b(bool v) { out_.push_back(v ? 1 : 0); }
  void l(const std::vector<std::string>& v) {
    n(v.size());
    for (const auto& x : v) s(x);
  }
  void limit(const Limit& v) {
    for (int d : v.days) n(static_cast<uint64_t>(d + 1));
  }
  void raw(std::string_view v) { out_.append(v); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool at_end() const { return ok_ && in_.empty(); }
  void fail() { ok_ = false; }
  uint64_t n() {
    uint64_t v = 0;
    if (ok_ && !take_varint(in_, v)) ok_ = false;
    return ok_ ? v : 0;
  }
  // A count of items each at least one byte long: no more than the bytes left.
  size_t count() {
    const uint64_t v = n();
    if (v > in_.size()) ok_ = false;
    return ok_ ? static_cast<size_t>(v) : 0;
  }
  std::string s() {
    const size_t len = count();
    std::string v(in_.substr(0, len));
    in_.remove_prefix(len);
    return v;
  }
  template <class... More>
  void s(std::string& v, More&... more) {
    v = s();
    (s(more), ...);
  }
  bool b() {
    const uint64_t v = n();
    if (v > 1) ok_ = false;
    return v == 1;
  }
  std::vector<std::string> l() {
    std::vector<std::string> v(count());
    for (auto& x : v) x = s();
    return v;
  }
  Limit limit() {
    Limit v;
    for (int& d : v.days) d = static_cast<int>(n() & 0x7FFFFFFF) - 1;
    return v;
  }
  template <class E>
  E e(E last) {
    E v{};
    if (!enum_from(n(), last, v)) ok_ = false;
    return ok_ ? v : E{};
  }
  bool magic() {
    if (in_.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic)) return ok_ = false;
    in_.remove_prefix(sizeof kMagic);
    return true;
  }

 private:
  std::string_view in_;
  bool ok_ = true;
};

template <class T, class Put>
void put_list(Writer& w, const std::vector<T>& items, Put put) {
  w.n(items.size());
  for (const auto& x : items) put(x);
}

template <class T, class Get>
std::vector<T> get_list(Reader& r, Get get) {
  std::vector<T> items(r.count());
  for (auto& x : items) get(x);
  return items;
}

}  // namespace

std::string process_image(const ProcessBook& book) {
  Writer w;
  w.raw(std::string_view(kMagic, sizeof kMagic));
  w.n(kVersion);
  w.n(static_cast<uint64_t>(book.format));
  auto named = [&w](const auto& x) { w.s(x.key, x.zh, x.en); };
  put_list(w, book.departments, named);
  put_list(w, book.documents, named);
  put_list(w, book.fields, named);
  put_list(w, book.processes, [&](const ProcessDef& p) {
    named(p);
    w.n(static_cast<uint64_t>(p.mode));
    w.n(static_cast<uint64_t>(p.summary));
    w.s(p.department, p.form);
    w.limit(p.limit);
    w.b(p.reply);
    w.b(p.return_visit);
    w.b(p.auto_close);
    put_list(w, p.steps, [&](const StepDef& st) {
      named(st);
      w.n(st.role ? static_cast<uint64_t>(*st.role) + 1 : 0);
      w.s(st.department);
      w.l(st.fields);
      w.l(st.documents);
      w.l(st.signatures);
      w.limit(st.limit);
      put_list(w, st.next, [&](const NextStep& x) { w.s(x.outcome, x.zh, x.en, x.to); });
      w.b(st.terminal);
      put_list(w, st.effects, [&](const Effect& x) { w.s(x.attribute, x.value, x.field); });
    });
  });
  put_list(w, book.routing, [&](const RoutingRow& x) {
    named(x);
    w.n(static_cast<uint64_t>(x.mode));
    w.s(x.department, x.with);
    w.l(x.forward_to);
    w.s(x.process, x.source);
  });
  return w.take();
}

std::optional<ProcessBook> process_book_from_image(std::string_view image) {
  Reader r(image);
  if (!r.magic() || r.n() != kVersion) return std::nullopt;
  ProcessBook book;
  book.format = static_cast<int>(r.n() & 0x7FFFFFFF);
  auto named = [&r](auto& x) { r.s(x.key, x.zh, x.en); };
  book.departments = get_list<Department>(r, named);
  book.documents = get_list<NamedKey>(r, named);
  book.fields = get_list<NamedKey>(r, named);
  book.processes = get_list<ProcessDef>(r, [&](ProcessDef& p) {
    named(p);
    p.mode = r.e(Mode::accepted);
    p.summary = r.e(Summary::quarterly);
    r.s(p.department, p.form);
    p.limit = r.limit();
    p.reply = r.b();
    p.return_visit = r.b();
    p.auto_close = r.b();
    p.steps = get_list<StepDef>(r, [&](StepDef& st) {
      named(st);
      const uint64_t role = r.n();  // 0: none, else the role's number + 1
      if (role > static_cast<uint64_t>(kRoleCount))
        r.fail();
      else if (role > 0)
        st.role = static_cast<Role>(role - 1);
      st.department = r.s();
      st.fields = r.l();
      st.documents = r.l();
      st.signatures = r.l();
      st.limit = r.limit();
      st.next = get_list<NextStep>(r, [&](NextStep& x) { r.s(x.outcome, x.zh, x.en, x.to); });
      st.terminal = r.b();
      st.effects = get_list<Effect>(r, [&](Effect& x) { r.s(x.attribute, x.value, x.field); });
    });
  });
  book.routing = get_list<RoutingRow>(r, [&](RoutingRow& x) {
    named(x);
    x.mode = r.e(Mode::accepted);
    r.s(x.department, x.with);
    x.forward_to = r.l();
    r.s(x.process, x.source);
  });
  if (!r.at_end()) return std::nullopt;
  return book;
}

std::string_view builtin_process_image() { return kProcessImage; }

std::string process_image_source(std::string_view image) {
  std::string out =
      "// Generated by onestop_process_image (src/cli/process_image_main.cpp) from\n"
      "// data/processes/default.json: do not edit. See core/process_image.h.\n"
      "#include <string_view>\n"
      "namespace onestop {\n"
      "extern const std::string_view kProcessImage;\n"
      "const std::string_view kProcessImage{\n";
  // Printable ASCII as itself, every other byte as a three-digit octal escape (which, unlike a
  // hex escape, never swallows the character after it).
  std::string line = "    \"";
  for (const char ch : image) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '?') {
      line.push_back(static_cast<char>(c));
    } else {
      line.push_back('\\');
      for (const int shift : {6, 3, 0}) line.push_back(static_cast<char>('0' + ((c >> shift) & 7)));
    }
    if (line.size() >= 94) {
      out += line + "\"\n";
      line = "    \"";
    }
  }
  out += line + "\",\n    " + std::to_string(image.size()) + "};\n}  // namespace onestop\n";
  return out;
}

}  // namespace onestop
