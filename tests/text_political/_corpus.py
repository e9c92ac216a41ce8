"""Test data for the political-expression checker: official sentences, ordinary text, a corpus."""

from __future__ import annotations

import random
from datetime import date

from xuncha.text.political import word_frequencies

AS_OF = date(2024, 6, 1)

# Official news-style sentences that are correct on AS_OF (2024-06-01).
CORRECT_2024 = [
    "中共中央总书记、国家主席、中央军委主席习近平在京出席会议并发表重要讲话。",
    "国务院总理李强主持召开国务院常务会议，研究部署下一步工作。",
    "习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希等党和国家领导人出席大会。",
    "习近平同志、李强同志、赵乐际同志、王沪宁同志、蔡奇同志、丁薛祥同志、李希同志出席。",
    "习近平 李强 赵乐际 王沪宁 蔡奇 丁薛祥 李希 韩正出席开幕会。",
    "中共中央政治局常委、全国人大常委会委员长赵乐际主持会议。",
    "中共中央政治局常委、全国政协主席王沪宁出席并讲话。",
    "中共中央政治局常委、中央书记处书记、中央办公厅主任蔡奇陪同考察。",
    "中共中央政治局常委、国务院副总理丁薛祥出席活动。",
    "中共中央政治局常委、中央纪委书记李希在会上讲话。",
    "国家副主席韩正会见外宾。",
    "国务院副总理丁薛祥、何立峰、张国清、刘国中分别出席。",
    "习近平总书记强调，要坚持以人民为中心的发展思想。",
    "李强总理指出，要着力扩大国内需求。赵乐际委员长主持闭幕会。",
    "王沪宁主席出席全国政协会议。丁薛祥副总理出席论坛。",
    "2019年，时任国务院总理李克强在政府工作报告中指出，要减税降费。",
    "原国务院总理李克强同志的遗体在北京火化。",
    "李克强总理生前曾多次到我省考察指导工作。",
    "2018年3月，十三届全国人大一次会议选举栗战书为全国人大常委会委员长。",
    "2018年以来，时任国务院副总理韩正多次调研长江经济带发展。",
    "习近平、李克强、栗战书、汪洋、王沪宁、赵乐际、韩正等出席2019年国庆招待会。",
    "深入学习贯彻习近平新时代中国特色社会主义思想，全面贯彻党的二十大和二十届二中、三中全会精神。",
    "坚定“四个自信”，即道路自信、理论自信、制度自信、文化自信。",
    "增强“四个意识”、坚定“四个自信”、做到“两个维护”，深刻领悟“两个确立”的决定性意义。",
    "牢固树立“四个意识”（政治意识、大局意识、核心意识、看齐意识）。",
    "统筹推进“五位一体”总体布局，即经济建设、政治建设、文化建设、社会建设、生态文明建设。",
    "协调推进“四个全面”战略布局：全面建设社会主义现代化国家、全面深化改革、全面依法治国、全面从严治党。",
    "党的第二十次全国代表大会胜利召开。中国共产党第二十届中央委员会第三次全体会议公报。",
    "以中国式现代化全面推进中华民族伟大复兴，推动构建人类命运共同体，发展全过程人民民主。",
    "邓小平理论、“三个代表”重要思想、科学发展观是中国特色社会主义理论体系的重要组成部分。",
    "深入学习习近平法治思想、习近平经济思想、习近平生态文明思想、习近平强军思想、习近平外交思想、习近平文化思想。",
    "践行社会主义核心价值观，不忘初心、牢记使命，高质量共建“一带一路”，全面从严治党。",
    "增强文化自信、民族自信，提升企业的安全意识、法治意识、责任意识。",
]

# Ordinary text with sound-alikes of leaders' names or near-miss-looking strings.
ORDINARY = [
    "这家企业实力强、能力强，领导力强，书记带头干。",
    "眼前是一片汪洋，刚才奇怪的声音消失了。",
    "汉正街的商户们希望李希望早日回来。",
    "张国庆书记在县委常委会上讲话。",
    "县委书记李强到乡镇调研，市长李强主持召开常务会议。",
    "学习近乎停滞的同学需要帮助，书记处的同志们加班。",
    "越共中央总书记苏林会见中国客人。全国人大常委会副委员长王东明出席。",
    "我们希望大家都能理解，委员长期关注此事，总理事会已召开。",
    "马开始跑了，何立即赶到现场，张国清理了桌面。",
    "他一心想为国家做贡献，同志们表示赞同。",
]


def ordinary_corpus(n_bytes: int, seed: int = 7) -> str:
    """Pseudo government-site text of about n_bytes UTF-8 bytes: jieba words drawn by frequency,
    punctuation, and every ~25 sentences a correct official sentence naming leaders."""
    freq = word_frequencies()
    words = [w for w, f in freq.items() if f >= 50]
    weights = [freq[w] for w in words]
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n_bytes:
        chunk = []
        for w in rng.choices(words, weights, k=2000):
            chunk.append(w)
            r = rng.random()
            if r < 0.08:
                chunk.append("，")
            elif r < 0.12:
                chunk.append("。")
                if rng.random() < 0.04:
                    chunk.append(rng.choice(CORRECT_2024))
        s = "".join(chunk)
        out.append(s)
        size += len(s.encode("utf-8"))
    return "".join(out)
