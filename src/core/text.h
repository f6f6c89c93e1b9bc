#pragma once
// The one translation table of OneStop: every user-visible string, Simplified Chinese first,
// English second. Panels and core error messages look strings up here; no literals elsewhere.
#include <string_view>

namespace onestop {

enum class Lang { zh, en };

// X(id, zh-CN, en)
#define ONESTOP_TEXTS(X)                                                                   \
  X(AppTitle, "一站式服务台", "One-Stop Service Counter")                                  \
  X(Welcome, "欢迎使用一站式服务台：用户最多跑一次。",                                     \
    "Welcome to the one-stop counter: the customer runs at most once.")                   \
  X(MenuLanguage, "语言", "Language")                                                      \
  X(LanguageChinese, "中文", "中文 (Chinese)")                                             \
  X(LanguageEnglish, "English", "English")                                                \
  X(WindowNumber, "窗口编号", "Counter number")                                            \
  X(SiteCode, "站点代码", "Site code")                                                     \
  X(NextWindow, "下一个窗口", "Next counter")                                              \
  X(DemoVisits, "今日接待人次", "Visitors today")                                          \
  X(RegisterVisit, "接待登记", "Register a visit")                                         \
  X(StoreLoading, "正在读取数据…", "Loading data…")                                        \
  X(StoreIdle, "已保存", "Saved")                                                          \
  X(StoreSaving, "正在保存…", "Saving…")                                                   \
  X(StoreError, "保存失败", "Save failed")                                                 \
  /* Event store (core/store): damage found on open or verify, warnings; {} filled in order. */ \
  X(StoreFmtShort, "数据过短", "too short")                                                \
  X(StoreFmtMagic, "文件标识不符", "wrong file signature")                                 \
  X(StoreFmtVersion, "格式版本不受支持", "unsupported format version")                      \
  X(StoreFmtChecksum, "校验和不符", "checksum mismatch")                                   \
  X(StoreFmtLength, "长度无效", "invalid length")                                          \
  X(StoreFmtTruncated, "记录超出文件末尾", "record runs past the end of the data")         \
  X(StoreDmgManifestMissing, "清单文件缺失，但存在数据分段",                               \
    "the manifest is missing but data segments exist")                                    \
  X(StoreDmgManifest, "清单文件损坏：{}", "the manifest is damaged: {}")                  \
  X(StoreDmgManifestValues, "清单内容自相矛盾", "the manifest contradicts itself")        \
  X(StoreDmgFileMissing, "文件缺失", "the file is missing")                                \
  X(StoreDmgUnreadable, "无法读取：{}", "cannot be read: {}")                              \
  X(StoreDmgHeader, "文件头损坏：{}", "damaged file header: {}")                          \
  X(StoreDmgWrongHeader, "文件头与所在位置不符：分段 {}、首条记录 {}（应为分段 {}、首条记录 {}）", \
    "the file header does not belong here: segment {}, first record {} (expected segment {}, " \
    "first record {})")                                                                   \
  X(StoreDmgForeign, "文件属于另一个数据存储", "the file belongs to another store")        \
  X(StoreDmgRecord, "记录损坏：{}", "damaged record: {}")                                  \
  X(StoreDmgSequence, "记录序号不连续：应为 {}，实为 {}",                                   \
    "records out of sequence: expected {}, found {}")                                     \
  X(StoreDmgShort, "已提交的数据不完整：应有 {} 字节，只有 {} 字节",                         \
    "committed data is missing: {} bytes expected, only {} present")                       \
  X(StoreDmgMissingRecords, "记录缺失：最后一条是 {}，清单记载到 {}",                         \
    "records are missing: the last one is {}, the manifest says {}")                      \
  X(StoreDmgSnapshot, "快照损坏：{}", "the snapshot is damaged: {}")                      \
  X(StoreAffectedRecords, "受影响的记录：{}–{}", "records affected: {}–{}")                \
  X(StoreAffectedFrom, "受影响的记录：{} 及以后", "records affected: {} and later")        \
  X(StoreAffectedCases, "受影响的受理单：{}", "cases affected: {}")                        \
  X(StoreAffectedCasesGuess, "可能受影响的受理单（从损坏数据推测）：{}",                    \
    "cases probably affected (read from the damaged bytes): {}")                         \
  X(StoreNoteTornTail, "丢弃了未写完的末尾 {} 字节（上次保存被中断，未曾确认）",              \
    "dropped {} bytes of an unfinished write at the tail (an interrupted save, never acknowledged)") \
  X(StoreNoteLeftover, "删除了中断操作留下的文件", "removed a file left by an interrupted operation") \
  X(StoreNoteCreated, "新建了空的数据存储", "created an empty store")                      \
  X(StoreDamagedReadOnly, "数据已损坏：只读打开，请从备份恢复",                                   \
    "The data is damaged: opened read-only; restore from a backup")                        \
  X(StoreNotAStore, "{} 不是 OneStop 数据存储", "{} is not a OneStop store")              \
  X(StoreRestoreUnfinished, "{} 中的备份恢复被中断：以可写方式打开（启动应用）即可完成恢复",      \
    "a restore from a backup into {} was interrupted: opening the store for writing (the app) "  \
    "finishes it")                                                                              \
  X(StoreIntact, "完好：{} 条记录，{} 个分段", "intact: {} records in {} segments")        \
  X(SearchHint, "输入姓名、用户编号、电话或地址", "Name, customer number, phone or address") \
  X(Search, "查询", "Search")                                                              \
  X(MenuHelp, "帮助", "Help")                                                             \
  X(MenuAbout, "关于", "About")                                                            \
  X(AboutVersion, "版本", "Version")                                                       \
  X(AboutFont, "字体：思源黑体（Noto Sans CJK SC）子集，含 GB 2312 全部 6763 个汉字",       \
    "Font: Noto Sans CJK SC subset with all 6,763 GB 2312 hanzi")                         \
  X(AboutMissingGlyph, "字库中没有的字显示为：", "A character missing from the font shows as:") \
  X(Close, "关闭", "Close")                                                                \
  X(StoreReadOnly, "只读：一站式服务台已在本浏览器的另一个标签页中打开。关闭那个标签页后刷新本页即可登记。", \
    "Read-only: OneStop is open in another tab of this browser. Close that tab and reload this one to work here.") \
  X(StoreReadOnlyDamaged, "数据存储已损坏，只能查看：请从备份恢复", \
    "The data store is damaged and can only be read: restore it from a backup") \
  X(TabIntake, "受理登记", "Register")                                                    \
  X(TabCases, "受理单查询", "Find cases")                                                  \
  X(FieldMatter, "办理类别", "Matter")                                                     \
  X(ButtonAccept, "登记受理", "Register the request")                                      \
  X(AcceptedCase, "已登记受理单 {}，承办单位：{}，办结时限：{}",                           \
    "Registered case {}, handled by {}, due {}")                                          \
  X(DueNone, "当场办结", "done on the spot")                                               \
  X(Provisional, "（暂定）", " (provisional)")                                             \
  X(CommitFailed, "受理单已登记但尚未写入本机存储：{}。系统会在下次操作时重试。",         \
    "The case is registered but not yet written to this computer's storage: {}. It is retried with the next change.") \
  X(ColCaseNo, "受理编号", "Case number")                                                  \
  X(ColCustomer, "用户", "Customer")                                                       \
  X(ColStep, "当前环节", "Current step")                                                   \
  X(ColDue, "时限", "Due")                                                                 \
  X(ColStatus, "状态", "Status")                                                           \
  X(CasesFound, "共 {} 件", "{} cases")                                                    \
  X(StatusOpen, "办理中", "open")                                                          \
  X(StatusClosed, "已办结", "closed")                                                      \
  X(RecentCases, "最近受理（输入关键字查询）", "Most recent (type to search)")                                                    \
  X(LedgerDamaged, "受理数据已损坏，只能查看：{}", "The case data is damaged and can only be read: {}") \
  X(LedgerOpenFailed, "无法打开受理数据：{}", "Cannot open the case data: {}")            \
  X(BackupTitle, "备份与恢复", "Backup and restore")                                      \
  X(BackupDownload, "下载备份", "Download a backup")                                       \
  X(BackupRestore, "从备份恢复…", "Restore from a backup…")                                \
  X(BackupMade, "已生成备份 {}（{} 字节）", "Backup {} made ({} bytes)")                   \
  X(BackupFailed, "无法生成备份：{}", "Cannot make a backup: {}")                          \
  X(RestoreConfirm, "恢复将用备份替换本机全部受理数据（现有 {} 条记录，备份有 {} 条记录）。此操作不能撤销。", \
    "Restoring replaces all case data here ({} records) by the backup ({} records). This cannot be undone.") \
  X(RestoreYes, "确定恢复", "Restore")                                                     \
  X(Cancel, "取消", "Cancel")                                                              \
  X(RestoreDone, "已从备份恢复：{} 条记录", "Restored from the backup: {} records")       \
  X(RestoreRefused, "备份文件无法使用，本机数据未作任何改动：{}",                          \
    "The backup cannot be used; nothing here was changed: {}")                            \
  X(RestoreFailed, "恢复失败：{}", "Restore failed: {}")                                   \
  X(StoreLoadingRest, "正在读取较早的受理记录…", "Reading the older case records…")          \
  X(BackupWaitRest, "较早的受理记录仍在读取中，请稍后再试", "The older case records are still being read; try again in a moment") \
  X(StoreRestFailed, "无法读取较早的受理记录，备份暂不可用：{}", "Cannot read the older case records; backups are unavailable for now: {}") \
  X(MenuSettings, "设置", "Settings")                                                      \
  X(StorageUse, "本机存储", "Storage on this computer")                                    \
  X(StorageUsed, "已用 %.1f MB / 可用 %.0f MB", "%.1f MB used of %.0f MB available")       \
  X(StorageUnknown, "浏览器未提供存储用量", "The browser does not report storage use")     \
  X(StoragePersisted, "已获准持久保存（浏览器不会自动清除）",                               \
    "Persistent: the browser will not evict this data")                                   \
  X(StorageNotPersisted, "未获准持久保存：磁盘紧张时浏览器可能清除数据，请定期备份",         \
    "Not persistent: the browser may evict this data when the disk is full; back up often") \
  X(ErrBadJson, "数据不是有效的 JSON", "The data is not valid JSON")                       \
  X(ErrBadSettings, "设置文件格式错误", "The settings file is malformed")                  \
  X(ErrBadLanguage, "未知的语言代码", "Unknown language code")                             \
  X(ErrBadWindowNumber, "窗口编号必须在 1 到 999 之间",                                    \
    "The counter number must be between 1 and 999")                                       \
  X(ErrBadSiteCode, "站点代码必须是 1 到 8 位大写字母或数字",                              \
    "The site code must be 1 to 8 capital letters or digits")                              \
  /* Working-day calendar (core/calendar.cpp); {} is filled in, in order. */               \
  X(ErrCalBeforeData, "{} 早于日历数据的起始日 {}，无法计算",                                \
    "{} is before the calendar data begins ({}); it cannot be answered")                  \
  X(ErrCalAfterRange, "{} 晚于日历覆盖的最后一天 {}，无法计算",                              \
    "{} is after the last day the calendar covers ({}); it cannot be answered")           \
  X(ErrCalWorkdays, "工作日数必须是不小于 1 的整数，而不是 {}",                              \
    "The number of working days must be a whole number of at least 1, not {}")            \
  X(ErrCalDueBeyond, "期限落在日历覆盖的最后一天 {} 之后，无法计算",                         \
    "The deadline falls after the last day the calendar covers ({})")                     \
  X(ErrCalBadDate, "不是有效的日期（应为 YYYY-MM-DD）：{}",                                  \
    "Not a valid date (expected YYYY-MM-DD): {}")                                         \
  X(ErrCalCsvLine, "日历数据第 {} 行：", "Calendar data, line {}: ")                       \
  X(ErrCalCsvFields, "应为“日期,off|work,名称”或“published,年份”",                          \
    "expected 'date,off|work,name' or 'published,year'")                                  \
  X(ErrCalCsvDate, "日期无效：{}", "invalid date: {}")                                     \
  X(ErrCalCsvKind, "类型必须是 off 或 work：{}", "the kind must be off or work: {}")       \
  X(ErrCalCsvOrder, "日期未按顺序排列或重复：{}", "date out of order or repeated: {}")     \
  X(ErrCalCsvYear, "已发布年份无效（应在 1900 到 2099 之间）：{}",                           \
    "invalid published year (must be 1900 to 2099): {}")                                 \
  X(ErrCalCsvYearTwice, "年份 {} 重复声明为已发布", "year {} is declared published twice") \
  X(ErrCalCsvOrphanDay, "日期 {} 不属于任何已发布年份的通知",                                \
    "the date {} belongs to no published year's notice")                                  \
  X(ErrCalCsvNoYear, "日历数据没有声明任何已发布年份",                                       \
    "the calendar data declares no published year")                                       \
  X(ErrCalPublishYear, "无法发布 {} 年：年份须在 {} 到 {} 之间",                             \
    "Cannot publish {}: the year must be between {} and {}")                              \
  X(ErrCalPublishDate, "日期 {} 不属于 {} 年的通知（须在该年内或上一年十二月）",             \
    "The date {} does not belong to the {} notice (it must lie in that year or the "      \
    "December before)")                                                                   \
  X(ErrCalPublishTwice, "日期 {} 在通知中出现两次", "The date {} appears twice in the notice") \
  /* Domain model, processes and workflow (core/model, process, event, workflow). */           \
  X(RoleAcceptor, "受理人", "Acceptor")                                                     \
  X(RoleHandler, "承办人", "Handler")                                                       \
  X(RoleMeterReader, "抄表员", "Meter reader")                                              \
  X(RoleMeterFitter, "拆装人员", "Meter fitter")                                            \
  X(RoleMeterCalibrator, "校表员", "Meter calibrator")                                      \
  X(RoleSystemMaintainer, "系统维护员", "System maintainer")                                \
  X(RoleDepartmentHead, "分管领导", "Department head")                                      \
  X(RoleDiscipline, "纪委", "Discipline reviewer")                                          \
  X(RoleAdmin, "管理员", "Administrator")                                                   \
  X(RoleCustomer, "用户", "Customer")                                                       \
  X(CustomerResidential, "居民用户", "Residential")                                         \
  X(CustomerIndustrial, "工业企业用户", "Industrial")                                       \
  X(CustomerDeveloper, "房地产企业用户", "Real-estate developer")                           \
  X(CustomerOther, "其他用户", "Other")                                                     \
  X(AccountActive, "正常用水", "Active")                                                    \
  X(AccountSuspended, "已报停", "Suspended")                                                \
  X(AccountCancelled, "已销户", "Cancelled")                                                \
  X(ModeConsultation, "业务咨询", "Consultation")                                           \
  X(ModeDirect, "直接办理", "Direct handling")                                              \
  X(ModeAccepted, "受理事项", "Accepted matter")                                            \
  X(SummaryNone, "不汇总", "No summary")                                                    \
  X(SummaryMonthly, "按月汇总", "Monthly summary")                                          \
  X(SummaryQuarterly, "按季度汇总", "Quarterly summary")                                    \
  X(EscalationNone, "未逾期", "Not overdue")                                                \
  X(EscalationOverdue, "已逾期", "Overdue")                                                 \
  X(EscalationChased, "已催办", "Chased")                                                   \
  X(EscalationReported, "已上报纪委", "Reported to the discipline committee")               \
  X(EscalationRuled, "纪委已认定", "Ruled by the discipline committee")                     \
  X(CauseNoReply, "到期未收到承办部门的反馈", "No result from the department by the due date") \
  X(EvCustomerSaved, "保存用户资料", "Customer record saved")                               \
  X(EvAccepted, "受理登记", "Accepted")                                                     \
  X(EvStepDone, "环节办理", "Step done")                                                    \
  X(EvTransferred, "转办", "Transferred")                                                   \
  X(EvPaused, "暂停计时", "Clock paused")                                                   \
  X(EvResumed, "恢复计时", "Clock resumed")                                                 \
  X(EvReplied, "反馈办理结果", "Result reported to the acceptor")                           \
  X(EvVisited, "回访", "Return visit")                                                      \
  X(EvClosed, "办结", "Closed")                                                             \
  X(EvReopened, "重新办理", "Reopened")                                                     \
  X(EvDuplicate, "标记为重复", "Marked as a duplicate")                                     \
  X(EvFollowUp, "关联为后续事项", "Linked as a follow-up")                                  \
  X(EvOverdue, "逾期", "Overdue")                                                           \
  X(EvChased, "催办", "Chased")                                                             \
  X(EvReported, "上报纪委", "Reported to the discipline committee")                         \
  X(EvRuled, "纪委认定", "Discipline committee's finding")                                  \
  X(EvDeadlineChanged, "期限重算", "Deadline recomputed")                                   \
  X(ProcessesValid, "流程定义有效：{} 个流程、{} 个环节、{} 条分办规则、{} 个部门",            \
    "valid: {} processes, {} steps, {} routing rows, {} departments")                     \
  X(ErrCannotRead, "无法读取文件 {}", "cannot read the file {}")                            \
  X(ErrProcFormat, "不支持的格式版本 {}（应为 1）", "unsupported format {} (must be 1)")     \
  X(ErrProcWrongType, "类型错误，应为 {}", "wrong type, expected {}")                       \
  X(ErrProcMissing, "缺少 {}", "{} is missing")                                             \
  X(ErrProcMissingName, "缺少名称 {}", "the name {} is missing")                            \
  X(ErrProcUnknownMember, "未知的成员 {}", "unknown member {}")                             \
  X(ErrProcDuplicateKey, "重复的键 {}", "duplicate key {}")                                 \
  X(ErrProcBadLimit, "时限须为非负整数个工作日，而不是 {}",                                 \
    "a time limit must be a non-negative whole number of working days, not {}")           \
  X(ErrProcLimitNoDefault, "按用户类型的时限须有 default 或 industrial 一栏",                 \
    "a limit by customer type needs a \"default\" or an \"industrial\" column")           \
  X(ErrProcUnknownCustomerType, "未知的用户类型 {}", "unknown customer type {}")            \
  X(ErrProcUnknownMode, "未知的办理方式 {}", "unknown mode {}")                             \
  X(ErrProcUnknownSummary, "未知的汇总周期 {}", "unknown summary {}")                       \
  X(ErrProcUnknownRole, "未知的角色 {}", "unknown role {}")                                 \
  X(ErrProcUnknownDept, "未知的部门 {}", "unknown department {}")                           \
  X(ErrProcUnknownDocument, "未知的资料 {}", "unknown document {}")                         \
  X(ErrProcUnknownField, "未知的字段 {}", "unknown field {}")                               \
  X(ErrProcUnknownProcess, "未知的流程 {}", "unknown process {}")                           \
  X(ErrProcUnknownStep, "下一环节 {} 不存在", "the next step {} does not exist")            \
  X(ErrProcNoSteps, "流程没有环节", "the process has no steps")                             \
  X(ErrProcNoExit, "环节 {} 不是终结环节，却没有下一环节",                                  \
    "step {} is not terminal but has no next step (no exit)")                             \
  X(ErrProcTerminalNext, "终结环节不能有下一环节", "a terminal step cannot have next steps") \
  X(ErrProcOutcomeMissing, "有多个下一环节时，每个都须有 outcome 和名称",                   \
    "when a step has several next steps, each needs an outcome with names")               \
  X(ErrProcUnreachable, "环节 {} 无法从第一个环节到达",                                     \
    "step {} cannot be reached from the first step")                                      \
  X(ErrProcNoEnd, "从环节 {} 无法到达任何终结环节", "no terminal step can be reached from step {}") \
  X(ErrProcFirstStep, "第一个环节须由受理人办理，且不能是终结环节",                         \
    "the first step must be done by an acceptor and cannot be terminal")                  \
  X(ErrProcModeMismatch, "办理方式 {} 与流程 {} 的方式 {} 不一致",                          \
    "mode {} differs from the mode of process {} ({})")                                   \
  X(ErrProcUnknownAttribute, "未知的用户资料项 {}", "unknown customer attribute {}")        \
  X(ErrProcEffectSource, "effects 须给出 value 或 field 之一（只能一个）",                   \
    "an effect needs exactly one of \"value\" and \"field\"")                             \
  X(ErrProcEffectValue, "值 {} 不适用于 {}", "the value {} does not fit {}")                \
  X(ErrBadEvent, "事件数据格式错误（{}）", "malformed event ({})")                          \
  X(ErrUnknownActor, "未知的工号 {}", "unknown badge {}")                                   \
  X(ErrRoleMissing, "{} 没有“{}”角色", "{} does not hold the role \"{}\"")                  \
  X(ErrWrongDepartment, "此环节由{}办理，{} 不属于该部门",                                  \
    "this is for {} to do; {} does not belong to it")                                     \
  X(ErrNotAllowed, "{} 无权执行此操作", "{} may not do this")                               \
  X(ErrUnknownMatter, "未知的办理事项 {}", "unknown matter {}")                             \
  X(ErrUnknownCase, "未知的受理单 {}", "unknown case {}")                                   \
  X(ErrCaseClosed, "受理单 {} 已办结", "case {} is closed")                                 \
  X(ErrCasePaused, "受理单 {} 已暂停计时，请先恢复", "case {} is paused; resume it first")  \
  X(ErrCaseNotPaused, "受理单 {} 没有暂停", "case {} is not paused")                        \
  X(ErrStaleStep, "受理单当前在“{}”环节，而不是“{}”", "the case is at step \"{}\", not \"{}\"") \
  X(ErrProcessDone, "流程已经走完", "the process is already complete")                      \
  X(ErrProcessNotDone, "流程尚未走完（当前环节：{}）", "the process is not complete (current step: {})") \
  X(ErrOutcomeRequired, "请选择办理结果：{}", "choose an outcome: {}")                      \
  X(ErrUnknownOutcome, "此环节没有办理结果 {}", "this step has no outcome {}")              \
  X(ErrMissingField, "缺少必填项：{}", "required field missing: {}")                        \
  X(ErrMissingDocument, "缺少资料：{}", "document missing: {}")                             \
  X(ErrMissingSignature, "缺少签字：{}", "signature missing: {}")                           \
  X(ErrBadSigner, "{} 不能以“{}”身份签字", "{} cannot sign as \"{}\"")                      \
  X(ErrUnknownStepKey, "流程没有环节 {}", "the process has no step {}")                     \
  X(ErrStepTerminal, "“{}”是终结环节", "\"{}\" is a terminal step")                         \
  X(ErrReasonRequired, "请填写原因", "a reason is required")                                \
  X(ErrResultRequired, "请填写办理结果", "the result is required")                          \
  X(ErrNoteRequired, "请填写催办情况", "describe the contact with the department")         \
  X(ErrCauseRequired, "请填写延期原因", "the cause of the delay is required")               \
  X(ErrFindingRequired, "请填写认定意见", "the finding is required")                        \
  X(ErrReplyNotExpected, "此事项不需要承办部门反馈", "this matter has no department reply") \
  X(ErrAlreadyReplied, "承办部门已经反馈了结果", "the department has already reported the result") \
  X(ErrNotReplied, "承办部门尚未反馈结果", "the department has not reported the result yet") \
  X(ErrAlreadyVisited, "已经回访过", "the return visit is already recorded")                \
  X(ErrVisitMissing, "尚未回访用户", "the customer has not been called back yet")           \
  X(ErrBadRating, "评价须为 1 到 5 分，而不是 {}", "the rating must be 1 to 5, not {}")     \
  X(ErrNotClosed, "受理单 {} 尚未办结", "case {} is not closed")                            \
  X(ErrSelfLink, "不能关联到自身", "a case cannot be linked to itself")                     \
  X(ErrLinkCycle, "这样关联会形成循环", "this link would make a cycle")                     \
  X(ErrAlreadyLinked, "已关联到 {}", "already linked to {}")                                \
  X(ErrDuplicateOfDuplicate, "{} 本身是重复件，请关联到 {}",                                \
    "{} is itself a duplicate; link to {} instead")                                       \
  X(ErrEscalationOrder, "督办顺序不对：受理单当前为“{}”",                                   \
    "escalation out of order: the case is \"{}\"")                                        \
  X(ErrNothingToChange, "没有任何变化", "nothing would change")                             \
  X(ErrNothingToPause, "没有正在计时的环节可暂停", "no running clock to pause")              \
  X(ErrPersonNotInDept, "{} 不属于{}", "{} does not belong to {}")                          \
  X(ErrCalendar, "无法计算期限：{}", "cannot compute the deadline: {}")                     \
  X(ErrNoCustomerNumber, "没有用户编号，无法更新用户资料",                                  \
    "no customer number: the customer record cannot be updated")                          \
  X(ErrBadFieldValue, "“{}”的值 {} 不适用", "the value of \"{}\" does not fit: {}")         \
  X(ErrBadCustomer, "用户资料不完整：缺少{}", "incomplete customer record: {} missing")     \
  X(FieldCustomerNo, "用户编号", "Customer number")                                         \
  X(FieldCustomerName, "姓名或单位", "Name or unit")                                        \
  X(FieldAddress, "用水地址", "Water-use address")                                          \
  X(FieldPhone, "联系电话", "Phone")                                                        \
  X(FieldDemand, "用户诉求", "Customer's demand")                                           \
  X(FieldRemarks, "备注", "Remarks")

enum class Text {
#define ONESTOP_TEXT_ID(id, zh, en) id,
  ONESTOP_TEXTS(ONESTOP_TEXT_ID)
#undef ONESTOP_TEXT_ID
      Count
};

// The translation of `id` in `lang`; a static string, never null.
const char* tr(Text id, Lang lang);

// "zh-CN" / "en" and back; unknown codes give false.
std::string_view lang_code(Lang lang);
bool lang_from_code(std::string_view code, Lang& out);

// An error message carried in both languages, so the UI shows it in the clerk's language and
// the command line can print either.
struct Message {
  Text id;
  const char* zh() const { return tr(id, Lang::zh); }
  const char* en() const { return tr(id, Lang::en); }
  const char* in(Lang lang) const { return tr(id, lang); }
};

}  // namespace onestop
