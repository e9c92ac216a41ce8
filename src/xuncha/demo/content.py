"""Deterministic Chinese text for the demo world: titles, bodies, names, dates.

Everything is drawn from a ``random.Random`` seeded by (world seed, host), so the same seed and
as-of date always give byte-identical sites. The wording imitates what county and city
government CMSs publish (会议、调研、通知、印发、解读、任免、预决算 …) but stays neutral: no
real leaders, no political formulations, no personal data (names of officials only, no mobile
numbers or ID numbers), so clean sites give no content findings. Deliberate cases and their
clean look-alikes (leaders' titles, typos, gambling text, ID numbers) live in plants.py.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

TOPICS: tuple[str, ...] = (
    "安全生产", "防汛抗旱", "森林防火", "优化营商环境", "乡村振兴", "城市更新", "生态环境保护",
    "招商引资", "重点项目建设", "民生实事", "文明城市创建", "食品安全", "消防安全", "就业创业",
    "社会保障", "农业生产", "河湖长制", "老旧小区改造", "生活垃圾分类", "数字政府建设", "政务服务",
    "社会信用体系建设", "市场监管", "地质灾害防治", "粮食安全", "养老服务", "住房保障", "人才工作",
    "科技创新", "文化旅游", "全民健身", "应急管理", "节能降耗", "高标准农田建设", "燃气安全",
    "校园安全", "医疗保障", "道路交通安全", "冬春农田水利", "林长制", "农村人居环境整治",
    "中小企业发展", "统计调查", "矛盾纠纷排查化解", "质量强市", "物业管理",
)

DOC_KINDS: tuple[str, ...] = ("实施方案", "工作方案", "管理办法", "三年行动计划", "实施意见", "若干措施", "实施细则")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_2: tuple[str, ...] = (
    "建国", "志强", "海涛", "红梅", "丽华", "俊杰", "文静", "晓东", "明辉", "玉兰", "新民", "春燕", "永刚",
    "秀英", "国华", "卫东", "小平", "晓峰", "雪梅", "立新", "宏伟", "庆云", "德胜", "思远", "家豪", "振宇",
    "世杰", "桂芳", "亚楠", "晨曦", "金山", "向阳", "凤英", "学军", "丽娟", "长青",
)
GIVEN_1 = "军伟勇杰涛斌超明刚平辉鹏华飞鑫波宁丹萍静敏燕艳娟霞"

SEASONS = ("冬季", "春季", "夏季", "秋季")  # indexed by (month % 12) // 3
HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")

_MOBILE = re.compile(r"1[3-9]\d{9}")


def pii_safe(s: str) -> bool:
    """True when ``s`` holds no run of digits that looks like a mobile or ID number."""
    return not _MOBILE.search(s) and not re.search(r"\d{15,}", s)


def cn_date(d: date) -> str:
    """2025年3月10日 (no zero padding), as printed in official documents."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Voice:
    """Who speaks on a site: region and unit names used in titles and bodies."""

    region: str  # 青山市 / 河西区 / 东岭县
    unit: str  # 青山市人民政府 / 青山市发展和改革委员会
    short: str  # 青山 / 市发展改革委
    office: str  # 青山市人民政府办公室 (issuer of documents)
    doc_abbr: str  # 青政办发
    leader_title: str  # 市长 / 局长
    places: tuple[str, ...]  # townships / streets / 内设科室


class TextGen:
    """Titles and bodies for one site. Titles are unique within the site (no re-dated copies)."""

    def __init__(self, rng: random.Random, voice: Voice) -> None:
        self.rng = rng
        self.v = voice
        self._titles: set[str] = set()
        self.leader = self.person()  # the one head of the unit, named in news titles

    # ------------------------------------------------------------------ helpers
    def person(self) -> str:
        r = self.rng
        given = r.choice(GIVEN_2) if r.random() < 0.7 else r.choice(GIVEN_1)
        return r.choice(SURNAMES) + given

    def masked_person(self) -> str:
        return self.rng.choice(SURNAMES) + "**"

    def topic(self) -> str:
        return self.rng.choice(TOPICS)

    def place(self) -> str:
        return self.rng.choice(self.v.places)

    def _unique(self, make: Callable[[], str]) -> str:
        for _ in range(60):
            t = make()
            if t not in self._titles:
                self._titles.add(t)
                return t
        n = 2
        base = make()
        while f"{base}（{n}）" in self._titles:
            n += 1
        t = f"{base}（{n}）"
        self._titles.add(t)
        return t

    # ------------------------------------------------------------------ titles
    def news_title(self, when: date) -> str:
        v, r = self.v, self.rng

        def make() -> str:
            t = self.topic()
            forms = (
                f"{v.region}召开{t}工作推进会",
                f"{v.region}部署{SEASONS[(when.month % 12) // 3]}{t}工作",
                f"{v.leader_title}{self.leader}到{self.place()}调研{t}工作",
                f"{self.place()}扎实推进{t}",
                f"{v.region}{t}工作取得阶段性成效",
                f"{v.short}开展{t}专项检查",
                f"{v.region}举办{t}业务培训班",
                f"{self.place()}多措并举抓好{t}",
                f"{v.region}召开{when.year}年{t}工作会议",
                f"{self.place()}召开{t}工作调度会",
                f"{v.short}组织开展{t}宣传活动",
                f"{v.region}{t}重点任务有序推进",
            )
            return r.choice(forms)

        return self._unique(make)

    def notice_title(self, when: date) -> str:
        v, r = self.v, self.rng

        def make() -> str:
            t = self.topic()
            forms = (
                f"关于开展{when.year}年度{t}专项检查的通知",
                f"关于{t}有关事项的公告",
                f"{when.year}年{v.region}{t}项目拟立项名单公示",
                f"关于做好{r.choice(HOLIDAYS)}期间{t}工作的通知",
                f"关于征集{when.year}年{t}典型案例的通知",
                f"关于{t}领域公开征求意见的公告",
                f"{v.short}关于{t}工作安排的通告",
            )
            return r.choice(forms)

        return self._unique(make)

    def policy_title(self, when: date) -> tuple[str, str, str]:
        """(title, 文号, the document's own name) of a normative document."""
        v, r = self.v, self.rng
        holder: dict[str, str] = {}

        def make() -> str:
            doc = f"{v.region}{self.topic()}{r.choice(DOC_KINDS)}"
            holder["doc"] = doc
            return f"{v.office}关于印发《{doc}》的通知"

        title = self._unique(make)
        docno = f"{v.doc_abbr}〔{when.year}〕{r.randint(1, 60)}号"
        return title, docno, holder["doc"]

    def interpret_title(self, doc: str) -> str:
        return self._unique(lambda: self.rng.choice((f"《{doc}》政策解读", f"一图读懂《{doc}》", f"《{doc}》解读")))

    def personnel_title(self, when: date) -> str:
        v, r = self.v, self.rng

        def make() -> str:
            forms = (
                f"{v.unit}关于{self.person()}等同志职务任免的通知",
                f"关于{self.person()}等{r.randint(2, 6)}名同志任职前公示",
                f"{when.year}年{v.unit}公开招聘工作人员拟聘用人员名单",
                f"{v.unit}关于{self.person()}同志任职的通知",
            )
            return r.choice(forms)

        return self._unique(make)

    def plan_title(self, when: date) -> str:
        v, r = self.v, self.rng
        return self._unique(
            lambda: r.choice(
                (
                    f"{v.unit}{when.year}年工作要点",
                    f"{v.region}{when.year}年{self.topic()}工作计划",
                    f"{v.unit}{when.year - 1}年工作总结和{when.year}年工作安排",
                    f"{v.region}{self.topic()}专项规划（{when.year}—{when.year + 4}年）",
                )
            )
        )

    def budget_title(self, year: int, final: bool) -> str:
        return self._unique(lambda: f"{self.v.unit}{year}年部门{'决算' if final else '预算'}公开")

    def stats_title(self, year: int, month: int) -> str:
        return self._unique(lambda: f"{year}年1—{month}月{self.v.region}主要经济指标" if month > 1 else f"{year}年1月{self.v.region}主要经济指标")

    def special_title(self, topic: str) -> str:
        v = self.v
        return self._unique(
            lambda: self.rng.choice(
                (f"{self.place()}{topic}工作见闻", f"{v.region}{topic}工作简报", f"{topic}：{self.place()}在行动", f"{v.short}{topic}工作综述")
            )
        )

    def letter(self) -> tuple[str, str, str]:
        """(title, question, a substantive answer) of a letter to a leader's mailbox."""
        r, v = self.rng, self.v
        holder: dict[str, tuple[str, str]] = {}
        place, topic = self.place(), self.topic()
        forms = (
            (f"咨询{place}{topic}相关政策", f"您好！想了解{place}{topic}方面有哪些扶持政策，应当向哪个部门申请？",
             f"您好！{topic}相关政策文件已在本网站“政策文件”栏目公开，符合条件的可向{v.unit}业务窗口提出申请。如需进一步了解，可在工作日拨打{self.phone()}咨询。"),
            (f"关于{place}路灯不亮的问题", f"您好！{place}主干道有一段路灯已经连续多日不亮，夜间出行很不方便，请尽快维修。",
             f"您好！经现场核查，{place}该路段路灯因线路老化出现故障，维修单位已完成线路更换，目前路灯已恢复正常照明。感谢您的监督！"),
            (f"{place}小区停车难问题何时解决", f"您好！{place}部分老旧小区停车位严重不足，车辆乱停影响通行，希望能够统筹解决。",
             f"您好！{place}已会同相关部门制定停车位改造方案，计划新增停车位{r.randint(40, 300)}个，预计下季度完成施工。"),
            (f"咨询{topic}补贴申领流程", f"您好！请问{topic}补贴怎么申领，需要准备什么材料？",
             f"您好！{topic}补贴申领流程为：申请人提交申请表及相关证明材料，经审核、公示无异议后，补贴资金直接发放至申请人账户。申请表可在本网站“表格下载”栏目下载。"),
            (f"建议加快{place}道路修缮", f"您好！{place}部分路段坑洼较多，雨天积水严重，建议尽快修缮。",
             f"您好！感谢您的建议。{place}道路修缮工程已列入今年城建计划，目前正在开展施工招标，招标完成后即开工建设。"),
            (f"询问{topic}办理需要哪些材料", f"您好！我想办理{topic}相关事项，请问需要带哪些材料，在哪里办理？",
             f"您好！办理该事项需提交申请表、身份证明材料及相关证明文件，办理地点为{v.region}政务服务中心，具体可查阅本网站“办事指南”栏目。"),
            (f"关于{place}噪声扰民的反映", f"您好！{place}附近工地夜间施工噪声很大，严重影响居民休息。",
             "您好！接到您的反映后，执法人员到现场进行了核查，已责令施工单位严格遵守作业时间，夜间不得进行高噪声作业，并将加强巡查。"),
            (f"建议在{place}增设公交站点", f"您好！{place}居民较多，但附近没有公交站点，出行不便，建议增设。",
             f"您好！感谢您的建议。经交通运输部门实地调研，拟在{place}增设公交站点一处，目前正在办理相关手续。"),
        )

        def make() -> str:
            t, q, a = r.choice(forms)
            holder["qa"] = (q, a)
            return t

        title = self._unique(make)
        q, a = holder["qa"]
        return title, q, a

    # ------------------------------------------------------------------ bodies
    def news_body(self, title: str, when: date) -> list[str]:
        v, r = self.v, self.rng
        t = self.topic()
        pool = [
            f"会议强调，要进一步提高思想认识，压紧压实工作责任，确保{t}各项任务落地见效。",
            "会上，相关部门负责同志汇报了近期工作进展情况，并就下一步工作提出意见建议。",
            f"此次活动共发放宣传资料{r.randint(2, 30) * 100}余份，现场解答群众咨询{r.randint(20, 300)}人次。",
            f"据了解，今年以来{v.region}累计排查整改问题{r.randint(30, 500)}处，整改完成率达{r.randint(90, 100)}%。",
            "下一步，将坚持问题导向，建立健全长效机制，持续巩固提升工作成效。",
            f"调研组一行实地察看了{self.place()}有关点位，详细了解工作推进中遇到的困难和问题。",
            "要加强部门协同配合，形成工作合力，以实际成效回应群众期盼。",
            f"各{('乡镇' if '县' in v.region else '街道')}、各部门要对照任务清单，倒排工期，挂图作战，确保按时保质完成。",
        ]
        r.shuffle(pool)
        first = f"{cn_date(when)}，{title.replace('召开', '召开了', 1) if r.random() < 0.3 else title}。"
        return [first, *pool[: r.randint(3, 5)]]

    def notice_body(self, title: str, when: date) -> list[str]:
        v, r = self.v, self.rng
        return [
            f"各{('乡镇人民政府' if '县' in v.region else '街道办事处')}、{v.region}直各有关单位：",
            f"根据工作安排，现就{title.removeprefix('关于').removesuffix('的通知').removesuffix('的公告')}有关事项通知如下。",
            f"一、时间安排。自即日起至{cn_date(when + timedelta(days=r.randint(15, 45)))}。",
            "二、工作要求。各单位要高度重视，明确专人负责，按要求及时报送相关材料。",
            f"联系电话：{self.phone()}。",
            f"{v.unit}",
            cn_date(when),
        ]

    def policy_body(self, doc: str, when: date) -> list[str]:
        v = self.v
        return [
            f"各{('乡镇人民政府' if '县' in v.region else '区县人民政府')}，{v.region}政府各部门、各直属机构：",
            f"《{doc}》已经{v.unit}同意，现印发给你们，请结合实际认真贯彻执行。",
            v.office,
            cn_date(when),
            "（此件公开发布）",
            f"{doc}",
            "第一条 为进一步规范工作程序，提升管理服务水平，结合本地实际，制定本方案。",
            "第二条 本方案适用于本行政区域内的相关工作。",
            "第三条 各有关部门按照职责分工，密切配合，共同做好组织实施工作。",
            "第四条 本方案自印发之日起施行，有效期五年。",
        ]

    def interpret_body(self, doc: str) -> list[str]:
        return [
            f"一、制定背景。为贯彻落实上级有关部署，{self.v.region}结合实际起草了《{doc}》。",
            "二、主要内容。文件共分为总体要求、重点任务、保障措施三个部分。",
            "三、适用范围。本行政区域内相关单位和个人。",
            "四、解读机关及联系方式。" + f"{self.v.office}，联系电话：{self.phone()}。",
        ]

    def generic_body(self, subject: str) -> list[str]:
        r = self.rng
        return [
            f"{subject}相关情况如下。",
            f"根据有关规定，现将{subject}予以公布。",
            f"如有疑问，请在工作日与{self.v.unit}联系，电话：{self.phone()}。",
            *(["欢迎社会各界监督。"] if r.random() < 0.5 else []),
        ]

    def phone(self) -> str:
        """A landline (区号-八位号码): never a mobile number."""
        return f"0990-{self.rng.randint(2, 8)}{self.rng.randint(1000000, 9999999)}"

    def clock(self, d: date) -> datetime:
        r = self.rng
        return datetime.combine(d, time(r.randint(8, 17), r.randint(0, 59), r.randint(0, 59)))


def spread_dates(rng: random.Random, newest: date, count: int, gap: tuple[int, int]) -> list[date]:
    """``count`` dates going back from ``newest``, consecutive gaps drawn from ``gap`` (days)."""
    out = [newest]
    for _ in range(count - 1):
        out.append(out[-1] - timedelta(days=rng.randint(*gap)))
    return out


# --------------------------------------------------------------------------- single pages
def overview_text(v: Voice, rng: random.Random) -> list[str]:
    """概况: a few paragraphs, as long as real 走进×× pages."""
    area = rng.randint(800, 3000)
    pop = rng.randint(20, 90)
    places = "、".join(v.places)
    return [
        f"{v.region}位于示例省中部，东邻青山湖，西接云岭山脉，总面积{area}平方公里，户籍人口{pop}万人。"
        f"全{v.region[-1]}辖{len(v.places)}个乡镇（街道）：{places}。",
        f"{v.region}历史悠久，文化底蕴深厚，境内有省级文物保护单位{rng.randint(3, 12)}处，是示例省重要的农产品生产基地和生态旅游目的地。",
        f"{v.region}交通便利，高速公路、国道和省道纵横交错，距省会城市约{rng.randint(60, 240)}公里，"
        "已形成以县城为中心、辐射各乡镇的半小时交通圈。",
        "近年来，全区域坚持稳中求进工作总基调，经济社会持续健康发展，地区生产总值、一般公共预算收入、"
        "城乡居民人均可支配收入等主要指标保持平稳增长，教育、医疗、养老等公共服务水平不断提升。",
        "（数据来源：统计部门年度统计公报，更新时间以页面标注为准。）",
    ]


def functions_text(v: Voice) -> list[str]:
    """机构职能 of a department."""
    return [
        f"{v.unit}是{v.region}人民政府工作部门，为正处级，加挂相关牌子。",
        "主要职责：（一）贯彻执行国家和省有关法律法规和方针政策，起草本行业地方性法规、规章草案和政策措施并组织实施。",
        "（二）拟订本行业发展规划和年度计划，指导、协调和监督各区县相关工作。",
        "（三）负责本行业安全生产监督管理，组织开展执法检查，依法查处违法违规行为。",
        "（四）负责本行业政务公开、政务服务和信息化建设工作，推进“互联网+政务服务”。",
        f"（五）完成{v.region}委、{v.region}人民政府交办的其他任务。",
    ]


def departments_text(v: Voice) -> list[str]:
    """内设机构 of a department."""
    return [
        "办公室：负责机关日常运转，承担文电、会务、机要、档案、政务公开、安全保密等工作。",
        "政策法规科：负责有关地方性法规、规章草案和规范性文件的起草与合法性审查，承担行政复议、行政应诉工作。",
        "规划财务科：负责拟订行业发展规划和年度计划，承担部门预决算、财务管理和内部审计工作。",
        "业务管理科：负责本行业监督管理工作，组织实施行业标准和技术规范，指导行业信用体系建设。",
        "人事科：负责机关和所属单位的人事管理、机构编制、教育培训和离退休干部服务工作。",
    ]


def open_request_text(v: Voice, phone: str) -> list[str]:
    """依申请公开: how to ask for information (the page also offers the form)."""
    return [
        f"公民、法人或者其他组织可以向{v.unit}申请获取相关政府信息。",
        "一、申请方式：申请人可以通过当面提交、邮寄或者本网站在线申请等方式提出申请，申请应当采用书面形式。",
        f"二、受理机构：{v.office}，地址：{v.region}人民路政务中心大楼，邮政编码：999100，联系电话：{phone}。",
        "三、处理时限：能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；"
        "需要延长答复期限的，经负责人同意并告知申请人，延长的期限最长不超过20个工作日。",
        "四、收费：行政机关依申请提供政府信息，不收取费用。",
        "申请表可在本页下载，填写后提交至受理机构。",
    ]


def petition_text(v: Voice, phone: str, rng: random.Random) -> list[str]:
    return [
        f"{v.region}信访局负责受理群众来信来访事项。",
        f"来访接待地址：{v.region}人民路{rng.randint(1, 200)}号{v.region}群众来访接待中心。",
        f"接待时间：工作日上午8:30—12:00，下午14:30—17:30。咨询电话：{phone}。",
        "信访人应当依法逐级走访，如实反映情况，不得捏造、歪曲事实，不得诬告、陷害他人。",
        "依法应当通过诉讼、仲裁、行政复议等法定途径解决的投诉请求，信访人应当依照有关法律、行政法规规定的程序向有关机关提出。",
    ]


def report_text(v: Voice, rng: random.Random) -> list[str]:
    return [
        f"{v.region}纪委监委受理对党组织、党员和监察对象违纪违法问题的检举控告。",
        "举报电话：12388。",
        f"来信地址：{v.region}人民路{rng.randint(1, 200)}号{v.region}纪委监委信访室，邮政编码：999100。",
        "来访接待地点：纪委监委信访接待室，接待时间为工作日。",
        "提倡实名举报。举报人应当提供被举报人的姓名、单位、职务及主要问题线索，对捏造事实、诬告陷害的，将依规依纪依法追究责任。",
    ]


def letters_stats_text(box: str, total: int, done: int, until: date) -> list[str]:
    return [
        f"截至{cn_date(until)}，近一年{box}共受理群众来信{total}件，已办结{done}件，正在办理{total - done}件，按期办结率100%。",
        "来信内容主要涉及城乡建设、社会保障、交通出行、教育医疗、生态环境等方面。",
        "所有来信均按照“统一受理、分类交办、限时办结、及时反馈”的要求办理，办理结果通过本网站向来信人反馈。",
        "对群众反映集中的问题，相关部门已建立台账，逐项跟踪落实，并在“回应关切”栏目公开办理情况。",
        "欢迎社会各界继续通过领导信箱等渠道反映问题、提出意见建议。",
    ]


def resume(name: str, post: str, rng: random.Random) -> str:
    born = rng.randint(1968, 1982)
    return (
        f"{name}，{'男' if rng.random() < 0.7 else '女'}，汉族，{born}年{rng.randint(1, 12)}月生，"
        f"{rng.choice(('大学', '研究生'))}学历，{rng.choice(('管理学', '经济学', '工学', '法学'))}{rng.choice(('学士', '硕士'))}。"
        f"历任乡镇、部门主要负责同志，现任{post}。"
    )
