"""The demo city: its units and one account per role (see README)."""

DEMO_PASSWORD = "Luoshi@2026"  # noqa: S105 - published demo password, demo mode only

CITY = "清河市人民政府"
OFFICE = "市政府督查室"
DISTRICTS = {
    "东湖区": ["湖滨街道", "桥南街道", "东湖镇"],
    "西山区": ["西山街道", "青石镇", "龙泉镇"],
    "南川区": ["南川街道", "白沙镇"],
    "北塘县": ["北塘镇", "柳河乡"],
}
DEPARTMENTS = [
    ("市发展和改革委员会", "市发改委"),
    ("市教育局", ""),
    ("市科学技术局", "市科技局"),
    ("市工业和信息化局", "市工信局"),
    ("市公安局", ""),
    ("市民政局", ""),
    ("市司法局", ""),
    ("市财政局", ""),
    ("市人力资源和社会保障局", "市人社局"),
    ("市自然资源和规划局", "市自然资源局"),
    ("市生态环境局", "市环境局"),
    ("市住房和城乡建设局", "市住建局"),
    ("市交通运输局", "市交通局"),
    ("市水利局", ""),
    ("市农业农村局", "市农业局"),
    ("市商务局", ""),
    ("市文化和旅游局", "市文旅局"),
    ("市卫生健康委员会", "市卫健委"),
    ("市应急管理局", "市应急局"),
    ("市市场监督管理局", "市市场监管局"),
]
OTHERS = [("市纪委监委", "市纪委"), ("市委考核办", "市考核办")]

HOUSING = "市住房和城乡建设局"
ECOLOGY = "市生态环境局"

# username, name, unit, title, role, scope unit (None: the city)
USERS = [
    ("office", "陈志远", OFFICE, "督查室主任", "office_admin", None),
    ("inspector", "李明", OFFICE, "督查员", "inspector", None),
    ("leader", "张建国", CITY, "市长", "leader", None),
    ("vleader", "刘卫东", CITY, "分管副市长", "leader", None),
    ("liaison_a", "赵敏", HOUSING, "办公室科员", "liaison", HOUSING),
    ("head_a", "孙立军", HOUSING, "局长", "unit_head", HOUSING),
    ("liaison_b", "周婷", ECOLOGY, "办公室副主任", "liaison", ECOLOGY),
    ("head_b", "吴国平", ECOLOGY, "局长", "unit_head", ECOLOGY),
    ("observer", "郑洁", "市纪委监委", "监督检查室主任", "observer", None),
    ("sysadmin", "黄伟", OFFICE, "系统管理员", "sysadmin", None),
    ("secadmin", "林晓", OFFICE, "安全管理员", "secadmin", None),
    ("auditor", "何静", OFFICE, "审计管理员", "auditor", None),
]
