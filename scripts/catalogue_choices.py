"""The translations chosen where the old per-topic catalogues disagreed (used by `--legacy`).

One (context, msgid) has one Chinese text. Where a word genuinely needs two, the source carries a
pgettext context and both are listed here. The glossary in the design notes is the reference:
在册 for a member in good standing, 修改 for Change (Django's own), 已办结 for a closed request or matter.
"""

CHOSEN = {
    # Reminder texts: one verb for closing a matter or request (办结).
    (
        None,
        "%(compound)s %(kind)s: term ends on %(date)s, prepare the re-election",
    ): "%(compound)s%(kind)s任期将于 %(date)s 届满，请做好换届准备",
    (
        None,
        "%(compound)s: a joint-meeting matter is past its due date %(date)s",
    ): "%(compound)s：三方联动事项已超过办结期限 %(date)s",
    (
        None,
        "%(compound)s: a resident request is past its due date %(date)s",
    ): "%(compound)s：有群众诉求已超过办结期限 %(date)s",
    (None, "%(n)d joint meeting(s) held"): "召开三方联席会议 %(n)d 次",
    (
        None,
        "%(own)d agreement(s) of the branch, %(shared)d of the community",
    ): "支部共建协议 %(own)d 份，社区共建协议 %(shared)d 份",
    # Member status: 在册; an owners' committee in office: 在任.
    (None, "Active"): "在册",
    ("body status", "Active"): "在任",
    # 学历 as the party statistics (党内统计) name them.
    (None, "Bachelor"): "大学本科",
    (None, "Master"): "硕士研究生",
    (None, "Doctorate"): "博士研究生",
    (None, "Building group (id)"): "楼栋党小组（ID）",
    (None, "Can export member lists"): "可导出党员名册",
    (None, "Choose an organization."): "请选择组织。",
    (None, "Created"): "新建",
    (None, "Cumulative counts"): "下辖累计数",
    (None, "Current"): "现任",
    (None, "Dissolved"): "已撤销",
    ("body status", "Dissolved"): "已解散",
    (None, "Floating in"): "流入",
    (None, "Floating out"): "流出",
    (None, "Full members"): "正式党员",
    (None, "ID number (keyed hash)"): "身份证号（校验摘要）",
    (None, "phone (keyed hash)"): "手机号（校验摘要）",
    (None, "In progress"): "实施中",
    ("matter status", "In progress"): "办理中",
    (None, "Joint building and services"): "共建与服务",
    (None, "Members"): "党员",
    (None, "No requests due"): "本期无到期诉求",
    (None, "Not floating"): "非流动",
    (None, "Not found, or outside your scope."): "未找到，或不在您的管辖范围内。",
    (None, "Open"): "待办",
    ("matter status", "Open"): "待办",
    ("need status", "Open"): "待对接",
    ("reminder status", "Open"): "待处理",
    (None, "Overdue"): "已逾期",
    (None, "overdue"): "已逾期",
    (None, "Owners' committees formed %(done)d/%(total)d"): "业委会（物管会）组建 %(done)d/%(total)d",
    (None, "Party members"): "党员",
    (None, "Resolved"): "已办结",
    (None, "Self-governance and property"): "自治组织与物业",
    (
        None,
        "Where the organizational relationship sits, when it is in the tree.",
    ): "组织关系所在党组织（在本系统组织树内时选择）。",
    (None, "admitted as probationary member on"): "接收预备党员日期",
    (None, "code"): "代码",
    (None, "community"): "社区",
    (None, "created by"): "创建人",
    (None, "description"): "说明",
    (None, "floating to / from"): "流向 / 来源地",
    (None, "government department"): "政府职能部门",
    (None, "home organization"): "组织关系所在党组织",
    (None, "home organization (outside the tree)"): "组织关系所在党组织（系统外）",
    # A person's name is 姓名; anything else's (Django's own) 名称.
    (None, "name"): "名称",
    ("person", "name"): "姓名",
    (None, "occupation status"): "职业状况",
    (None, "organization"): "党组织",
    (None, "party organization"): "党组织",
    ("name of", "party organization"): "党组织名称",
    (None, "passed"): "通过",
    ("qualification check", "passed"): "审查通过",
    (None, "period"): "周期",
    (None, "probation extended by (months)"): "延长预备期（月）",
    (None, "reason"): "原因",
    (None, "resolution"): "决议",
    ("request outcome", "resolution"): "办理结果",
    (None, "role"): "角色",
    ("seat", "role"): "职务",
    (None, "source"): "来源",
    ("funding", "source"): "资金来源",
    (None, "started on"): "开始日期",
    (None, "ended on"): "结束日期",
    ("term of office", "started on"): "任职日期",
    ("term of office", "ended on"): "离任日期",
    ("project", "started on"): "开工日期",
    (None, "due on"): "到期日",
    ("request", "due on"): "办结期限",
    # Where Django translates the same msgid, ours reads the same (its text wins in the admin anyway).
    (None, "This field is required."): "该字段是必填项。",
    (None, "Enter a whole number."): "输入整数。",
    (None, "This year"): "今年",
    (None, "Log out"): "注销",
    ("branch page", "Log out"): "退出",
    ("switch branch", "Change"): "切换",
    (None, "active"): "有效",
    ("attachment", "content type"): "文件类型",
    ("agreement", "content"): "协议内容",
}

# Messages that had no Chinese in any old catalogue.
CHOSEN.update(
    {
        ("audit", "object id"): "对象编号",
        ("history action", "Created"): "新建",
        (
            None,
            "An update changes only the columns in the file: delete a column to leave it as it is. "
            "A masked export cannot be imported again; use the export with full data.",
        ): "更新时只改动文件中有的列：删去的列保持原值。脱敏导出的名册不能再导入，请使用完整导出的文件。",
    }
)
CHOSEN[(None, "Forgotten your login credentials?")] = "忘记了登录信息？"
CHOSEN[(None, "Invalid input.")] = "无效的输入。"
CHOSEN[("person", "Name")] = "姓名"
