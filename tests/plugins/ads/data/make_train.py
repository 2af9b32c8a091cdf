"""Builds train.jsonl, the tuning corpus of the ad detector (checked in; rerun after editing:
``python tests/plugins/ads/data/make_train.py``). Ads: pitches of the trades that advertise in
Chinese and English groups, each with a way to reach the sender, dressed in the evasions real
spammers use. Ordinary messages: chat of Chinese and English community groups, including the
hard cases (links to common sites, numbers that look like phones, 微信 said innocently, members
mentioned, Greek letters, prices, emoji). Fixed seed: the file is reproducible."""

from __future__ import annotations

import json
import random
from pathlib import Path

rng = random.Random(20260513)
ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
CYR = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "k": "к"}

PITCH_ZH = [
    "日赚500+，宝妈学生党都能做",
    "兼职刷单，一单一结，日结工资",
    "USDT承兑，出U收U，汇率最好",
    "币圈带单，稳赚不赔，跟单翻倍",
    "博彩平台，首充送100%，返水无上限",
    "真人荷官百家乐，注册送彩金",
    "网贷秒批，黑户可下款，无抵押低息",
    "信用卡代还，套现秒到",
    "同城约炮，上门服务，裸聊",
    "福利姬资源群，看片免费",
    "代开发票，办证，全国可寄",
    "引流涨粉，抖音快手刷粉",
    "出售微信号QQ号，老号稳定",
    "科学上网机场，节点稳定，月付10元",
    "空投领取，免费撸毛，每天几百U",
    "手机操作，零投入，月入过万",
    "招代理，佣金高，一天几百",
    "跑分项目，躺赚每天",
    "六合彩内幕资料，包赢必中",
    "外围模特，高端服务",
    "量化套利，日收益3%，保本",
    "招募推广员，零门槛日结",
]
PITCH_EN = [
    "Earn $500 per day working from home, no experience needed",
    "Guaranteed profit trading signals, 10x gains",
    "Free crypto airdrop, claim your tokens now",
    "Double your bitcoin in 24 hours, investment plan",
    "Hot girls in your area, hookup tonight",
    "Instant approval loans, no credit check",
    "Best casino bonus, free spins on deposit",
    "Side hustle: make money online, be your own boss",
    "Join our VIP trading group, passive income daily",
    "Cheap followers and likes, best price",
    "Recover your funds from scam brokers, contact our team",
    "Exclusive OnlyFans leaks, free access",
    "Forex and binary options mentor, 300% ROI",
    "Presale is live, connect wallet to claim",
]
CONTACT_ZH = [
    "加微信 {wx}",
    "微信：{wx}",
    "薇信 {wx}",
    "V：{wx}",
    "加V {wx}",
    "vx {wx}",
    "wx：{wx}",
    "QQ {qq}",
    "扣扣 {qq}",
    "电报 @{tg}",
    "飞机 @{tg}",
    "联系 {phone}",
    "咨询电话 {phone}",
    "私聊 @{tg}",
    "进群 t.me/+{inv}",
    "详情 {site}",
    "点击 {site}",
    "看主页 @{tg}",
]
CONTACT_EN = [
    "DM me on telegram @{tg}",
    "WhatsApp {intl}",
    "contact @{tg}",
    "join t.me/{tg}",
    "visit {site}",
    "click {site}",
    "message me on WeChat {wx}",
    "text me {intl}",
    "join now t.me/joinchat/{inv}",
    "more info {site}",
    "join our discord discord.gg/{inv}",
]
SITES = [
    "win888.top",
    "cashfast.xyz",
    "bc365.vip",
    "lucky-spin.club",
    "earn-daily.site",
    "usdt-pay.cc",
    "bit.ly/3xQz9",
    "t.cn/A6xYz",
    "freecoin.online",
    "hotgirls.live",
    "loan-now.shop",
    "vpn-fast.icu",
]


def wx() -> str:
    return rng.choice(["abc", "vip", "kk", "xx", "zz", "lily", "ming", "bb"]) + str(rng.randint(1000, 99999))


def tg() -> str:
    return rng.choice(["crypto", "earn", "vip", "lucky", "fast", "money", "bc", "girls"]) + rng.choice(
        ["_bot", "pumps", "club", "888", "_cn", "channel", "king", "team"]
    )


def fill(template: str) -> str:
    return template.format(
        wx=wx(),
        qq=rng.randint(10000000, 3999999999),
        tg=tg(),
        phone=f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}",
        inv="".join(rng.choice("AbCdEfGhJkLmNpQrStUvWxYz0123456789_-") for _ in range(16)),
        site=rng.choice(SITES),
        intl=f"+{rng.choice(['1', '44', '63', '234', '852'])} {rng.randint(2000000000, 9999999999)}",
    )


def spaced(text: str) -> str:
    out = []
    for word in text.split(" "):
        if word.isascii() and word.isalpha() and len(word) >= 3 and rng.random() < 0.7:
            word = " ".join(word)
        out.append(word)
    return " ".join(out)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and rng.random() < 0.8 else c for c in text)


def zero_width(text: str) -> str:
    return "".join(c + (rng.choice(ZW) if c.isalnum() and rng.random() < 0.5 else "") for c in text)


def homoglyph(text: str) -> str:
    return "".join(CYR[c] if c in CYR and rng.random() < 0.6 else c for c in text)


def defang(text: str) -> str:
    return text.replace(".", rng.choice(["[.]", "(.)", "(dot)", " dot ", "点", "。", " . "]))


def sep_cjk(text: str) -> str:
    return text.replace("微信", rng.choice(["微 信", "微-信", "微❤信", "微*信", "威信", "V信"])).replace(
        "加V", rng.choice(["加 V", "+V", "➕V", "加ｖ"])
    )


EVASIONS = [
    lambda t: t,
    spaced,
    fullwidth,
    zero_width,
    homoglyph,
    defang,
    sep_cjk,
    lambda t: zero_width(homoglyph(t)),
    lambda t: fullwidth(defang(t)),
]


def ads() -> list[dict]:
    rows = []
    for i in range(340):
        zh = i % 2 == 0
        pitch = rng.choice(PITCH_ZH if zh else PITCH_EN)
        contact = fill(rng.choice(CONTACT_ZH if zh else CONTACT_EN))
        text = f"{pitch}，{contact}" if zh else f"{pitch}! {contact}"
        evasion = EVASIONS[i % len(EVASIONS)]
        row = {"label": "ad", "text": evasion(text), "style": evasion.__name__}
        rows.append(row)
    # Links hidden behind words, buttons through inline bots, channel forwards, pitches alone.
    words = ["点这里", "官网", "详情", "click here", "more", "👉 here", "报名入口", "download"]
    for _ in range(30):
        pitch = rng.choice(PITCH_ZH + PITCH_EN)
        rows.append(
            {
                "label": "ad",
                "text": f"{pitch} {rng.choice(words)}",
                "style": "hidden_link",
                "links": [{"url": "https://" + rng.choice(SITES), "text": rng.choice(words)}],
            }
        )
    for _ in range(20):
        rows.append(
            {
                "label": "ad",
                "text": rng.choice(PITCH_ZH + PITCH_EN),
                "style": "button",
                "via_bot": rng.choice(["promo_bot", "adsender_bot", "post_bot"]),
                "buttons": [
                    {"url": "https://" + rng.choice(SITES), "text": rng.choice(["立即加入", "Join", "注册"])}
                ],
            }
        )
    for _ in range(20):
        rows.append(
            {
                "label": "ad",
                "text": rng.choice(PITCH_ZH + PITCH_EN) + " " + fill("@{tg}"),
                "style": "forward",
                "forward": {"kind": "channel", "username": tg()},
            }
        )
    for _ in range(15):
        rows.append(
            {
                "label": "ad",
                "text": homoglyph(rng.choice(["Verify your account at", "Login here"])) + " раураl.com",
                "style": "lookalike",
            }
        )
    return rows


ORDINARY_ZH = [
    "早上好各位",
    "今天天气不错，适合出去走走",
    "有人用过这个库吗？文档在 https://docs.python.org/3/library/asyncio.html",
    "我微信上发你了，你看一下",
    "晚点微信聊",
    "你加我微信了吗？我没看到好友申请",
    "微信群里已经发过通知了",
    "订单号 202403151234567890 到现在还没发货",
    "快递单号 SF1234567890123 查不到",
    "我的工号是 10086 哈哈",
    "这个价格 ¥1388 还可以吧",
    "会议改到下午 3:30，会议号 852 3344 1290",
    "明天 2024-05-20 见",
    "github.com/tokio-rs/tokio 这个项目很不错",
    "看下 B 站这个视频 https://www.bilibili.com/video/BV1xx411c7mD",
    "知乎上有个回答说得挺好 https://www.zhihu.com/question/12345678",
    "α 和 β 的取值范围是多少？",
    "设 f(x)=x²，求 ∫f(x)dx",
    "谢谢大家🙏",
    "哈哈哈哈😂",
    "周末一起打球吗",
    "有没有人知道怎么配置 nginx 反向代理",
    "我用的 Python 3.12",
    "报错 error code 10054，怎么回事",
    "刚刚那个 bug 修好了，提交在 commit 3f2a9c1",
    "这个群挺好的，学到很多",
    "新人报到，请多关照",
    "欢迎新朋友！",
    "电报群和微信群的消息是同步的吗？",
    "我在 telegram 上也有号，不过很少上",
    "QQ 音乐最近有首歌挺好听",
    "我老婆让我下班买菜",
    "今天加班到十点",
    "下周一放假吗",
    "推荐一本书：《深入理解计算机系统》",
    "这个项目的 README 写得很清楚",
    "@alice 你上次说的那个方案怎么样了",
    "@bob 明天记得带电脑",
    "红包抢到了，谢谢老板",
    "哈哈手慢了",
    "我觉得这个思路不对，应该先做缓存",
    "服务器又挂了？",
    "大家中秋快乐🎑",
    "晚安",
    "收到",
    "好的，没问题",
    "客服电话是 400-820-8820 吗",
    "我手机尾号 1234 的那个",
    "我电话 138 开头那个号码换了，晚点私聊你",
    "这个 PR 能合并了吗 #1234",
    "版本号 v2.3.11 发布了",
    "温度计显示 36.5 度",
    "这个 app 注册要实名",
    "有人去过杭州吗？推荐点吃的",
    "附近有好吃的火锅店吗",
    "我昨天跑了 10 公里",
    "股票今天跌了好多",
    "这个月工资还没发",
    "我在找工作，有内推吗",
    "我们公司在招前端，有兴趣的可以看官网 jd.com 的招聘页",
    "拼多多上买的东西质量一般",
    "淘宝这家店不错 https://item.taobao.com/item.htm?id=123456",
    "我用的是 VPN 公司内网",
    "群主今天发红包吗",
    "这个免费吗？",
    "限时活动是官方的吗？感觉像骗子",
    "小心骗子，最近有人冒充群主加微信",
    "不要相信私聊你的人",
    "收到了，谢谢分享",
    "维基百科上有解释 https://zh.wikipedia.org/wiki/区块链",
    "区块链这个技术本身还是有意思的",
    "比特币又涨了，不过我没买",
    "我不懂投资，钱都存银行了",
    "贷款买房压力好大",
    "我信用卡账单还没还",
    "兼职做家教一个月能赚多少？",
    "学生党表示买不起",
    "宝妈们一般几点接孩子",
    "谁有 Rust 的学习资料",
    "我用 Go 写了个小工具 github.com/someone/tool",
    "今天的会议纪要发群里了",
    "我把文件放到百度网盘了，链接 pan.baidu.com/s/1abc 提取码 x7k9",
    "刚看完那部电影，太好看了",
    "下雨了记得带伞",
]
ORDINARY_EN = [
    "good morning everyone",
    "anyone tried the new release? changelog: https://github.com/python/cpython/releases",
    "I'll send it to you on WeChat later",
    "my order #1029384756 still hasn't shipped",
    "call me at the office, ext 4432",
    "the meeting ID is 852 3344 1290",
    "see you on 2024-05-20",
    "the price is $13.88, not bad",
    "check this video https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "α + β = γ, so the angle is 90°",
    "thanks all 🙏",
    "lol 😂",
    "who's up for basketball this weekend",
    "how do I configure an nginx reverse proxy?",
    "I'm on Python 3.12",
    "error code 10054, any idea?",
    "fixed in commit 3f2a9c1",
    "welcome to the group!",
    "hi, new here",
    "is the Telegram group synced with Discord?",
    "I have telegram but rarely use it",
    "@alice how did the plan go",
    "@bob bring your laptop tomorrow",
    "thanks for the red packet boss",
    "the server is down again?",
    "happy new year 🎉",
    "good night",
    "got it",
    "sure, no problem",
    "PR #1234 ready to merge?",
    "v2.3.11 is out",
    "my phone ends in 1234",
    "anyone been to Hangzhou?",
    "I ran 10k yesterday",
    "stocks dropped a lot today",
    "payday can't come soon enough",
    "looking for a job, referrals?",
    "we're hiring frontend devs, see https://careers.microsoft.com",
    "I use a VPN for the company network",
    "is this free?",
    "be careful, someone is impersonating the admin",
    "don't trust people who DM you",
    "Wikipedia explains it: https://en.wikipedia.org/wiki/Blockchain",
    "bitcoin went up again, I didn't buy",
    "I don't understand investing",
    "mortgage is killing me",
    "credit card bill due tomorrow",
    "how much can a tutor earn per hour?",
    "any Rust learning resources?",
    "wrote a tool in Go: github.com/someone/tool",
    "meeting notes are in the doc",
    "just watched that movie, amazing",
    "bring an umbrella, it's raining",
    "the docs at https://docs.rs/tokio are great",
    "read this thread on stackoverflow.com/questions/12345",
    "my ticket number is 48213377",
    "tracking number 1Z999AA10123456784",
    "the answer is 42",
    "can someone review my code?",
    "I think we should cache that first",
    "lunch at 12:30?",
    "I sold my old bike on the marketplace",
    "free pizza in the kitchen!",
    "the giveaway in the official channel was real",
    "DM me if you need the slides",
    "I'll join the call in 5",
    "link to the repo is in the pinned message",
]
FILL_ZH = ["", "哈哈", "😂", "吧", "？", "。", "👍", "[捂脸]", "🙏", "…", "！！"]
FILL_EN = ["", " lol", " 😂", "?", ".", " 👍", " haha", "!", " :)", "..."]


def ordinary() -> list[dict]:
    rows = []
    for text in ORDINARY_ZH:
        rows.append({"label": "ok", "text": text})
    for text in ORDINARY_EN:
        rows.append({"label": "ok", "text": text})
    # Variations of the same chat, so the corpus has the size of a few days of a busy group.
    while len(rows) < 1000:
        zh = rng.random() < 0.5
        base = rng.choice(ORDINARY_ZH if zh else ORDINARY_EN)
        tail = rng.choice(FILL_ZH if zh else FILL_EN)
        rows.append({"label": "ok", "text": base + tail})
    # Hidden links to common sites, forwards from a member, media with captions.
    rows.append(
        {"label": "ok", "text": "docs here", "links": [{"url": "https://docs.python.org/3/", "text": "docs"}]}
    )
    rows.append(
        {"label": "ok", "text": "看这个", "links": [{"url": "https://github.com/a/b", "text": "这个"}]}
    )
    rows.append({"label": "ok", "text": "转发一下", "forward": {"kind": "user", "username": None}})
    rows.append({"label": "ok", "text": "", "via_bot": "gif"})
    return rows


def main() -> None:
    out = Path(__file__).with_name("train.jsonl")
    rows = ads() + ordinary()
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"{out}: {sum(r['label'] == 'ad' for r in rows)} ads, {sum(r['label'] == 'ok' for r in rows)} ordinary"
    )


if __name__ == "__main__":
    main()
