"""Builds round3.jsonl: the evasions issue 13 names, applied systematically to pitches and
contacts written for this file (wording used in no other corpus), and ordinary messages with
the hard cases. Written before the third tuning round, and split in two:

- ``dev``: what the third round looked at (its failures were read, and causes fixed);
- ``test``: never read during tuning, measured once at the end of it. An ad's half follows its
  pitch, so every variant of a test pitch is unseen; ordinary messages alternate.

Every ad pitch gets three renderings of its contact, each with a different disguise, taken in
turn from the list for its kind (spaced letters, full-width forms, zero-width joiners,
Cyrillic look-alikes, ``[.]``/``(dot)``/``点``/``。``, spaces and line breaks inside domains,
punycode, shorteners, Chinese numerals in phone numbers, ...)."""

from __future__ import annotations

import json
from itertools import cycle
from pathlib import Path

ZW = "\u200b"
ZWJ = "\u200d"
CYRILLIC = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"})
CN_DIGITS = str.maketrans("0123456789", "零一二三四五六七八九")
CN_CAPITAL = str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖")


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def spaced(text: str) -> str:
    return " ".join(text)


def joined(text: str, mark: str = ZWJ) -> str:
    return mark.join(text)


def cyrillic(text: str) -> str:
    return text.translate(CYRILLIC)


def split_host(host: str) -> tuple[str, str]:
    name, _, tld = host.rpartition(".")
    return name, tld


# -- contacts, each kind with its disguises ----------------------------------------------------

WECHAT = [
    lambda v: f"微信 {v}",
    lambda v: f"w e i x i n：{v}",
    lambda v: f"{fullwidth('wx')}：{fullwidth(v)}",
    lambda v: f"薇{ZWJ}信 {v}",
    lambda v: f"{cyrillic('vx')}: {v}",
    lambda v: f"V❤信 {v}",
    lambda v: f"加 V：{spaced(v)}",
    lambda v: f"WeChat ID — {v}",
    lambda v: f"威信号 {v}",
]
QQ = [
    lambda v: f"扣扣 {v}",
    lambda v: f"Q Q：{spaced(v)}",
    lambda v: f"企鹅 {fullwidth(v)}",
    lambda v: f"qq{ZW}{v}",
    lambda v: f"球球 {v.translate(CN_DIGITS)}",
]
TME = [
    lambda v: f"t.me/{v}",
    lambda v: fullwidth(f"t.me/{v}"),
    lambda v: f"t[.]me/{v}",
    lambda v: f"t 。me / {v}",
    lambda v: f"t.m{cyrillic('e')}/{v}",
    lambda v: joined(f"t.me/{v}", ZW),
    lambda v: f"t(.)me/{v}",
    lambda v: f"t.me/\n{v}",
    lambda v: f"telegram.me/{v}",
]
DOMAIN = [
    lambda h: h,
    lambda h: "{0}[.]{1}".format(*split_host(h)),
    lambda h: "{0} (dot) {1}".format(*split_host(h)),
    lambda h: "{0}点{1}".format(*split_host(h)),
    lambda h: "{0}。{1}".format(*split_host(h)),
    lambda h: "{0} . {1}".format(*split_host(h)),
    lambda h: "{0}\n.{1}".format(*split_host(h)),
    lambda h: joined(h, ZWJ),
    lambda h: cyrillic(h),
    lambda h: fullwidth(h),
    lambda h: "hxxps://" + h,
    lambda h: spaced(h),
]
PHONE = [
    lambda v: f"{v[:3]} {v[3:7]} {v[7:]}",
    lambda v: f"{v[:3]}-{v[3:7]}-{v[7:]}",
    lambda v: f"+86 {v}",
    lambda v: fullwidth(v),
    lambda v: v.translate(CN_DIGITS),
    lambda v: v.translate(CN_CAPITAL),
    lambda v: spaced(v),
]
USERNAME = [
    lambda v: f"@{v}",
    lambda v: fullwidth(f"@{v}"),
    lambda v: f"@{joined(v, ZW)}",
    lambda v: f"@{cyrillic(v)}",
]
INVITE = [
    lambda v: f"t.me/+{v}",
    lambda v: f"t.me/joinchat/{v}",
    lambda v: fullwidth(f"t.me/+{v}"),
    lambda v: f"https://t[.]me/+{v}",
]
DISCORD = [
    lambda v: f"discord.gg/{v}",
    lambda v: f"discord(.)gg/{v}",
    lambda v: f"dsc.gg/{v}",
    lambda v: fullwidth(f"discord.gg/{v}"),
]
KINDS = {
    "wechat": WECHAT, "qq": QQ, "tme": TME, "domain": DOMAIN, "phone": PHONE,
    "username": USERNAME, "invite": INVITE, "discord": DISCORD,
}

# (pitch with {c} where the contact goes, contact kind, value). Half "dev", half "test".
PITCHES = [
    ("门店清仓，羽绒服三折起，要的看 {c}", "wechat", "dianpu_qc66"),
    ("长期收购二手显卡，价格公道，联系 {c}", "qq", "2849301775"),
    ("世界杯竞猜群，每天免费推荐三场，进 {c}", "tme", "zqjc_vip"),
    ("全自动挂机项目，一天一两百，教程在 {c}", "domain", "guaji-zhuan.top"),
    ("各类证件加急代办，包过，电话 {c}", "phone", "15290311288"),
    ("Amazon gift cards at 60% face value, message {c}", "username", "cardsdeal_hk"),
    ("Our whale group called 12 pumps in a row, join {c}", "invite", "Kq8vRt2mWx"),
    ("Free nitro and skins every week, server: {c}", "discord", "freeskinz"),
    ("海外高端陪聊，真人在线，私 {c}", "wechat", "peiliao_88"),
    ("手机贷，身份证就能下款，咨询 {c}", "qq", "3321908876"),
    ("币安内部邀请，手续费终身五折，入口 {c}", "domain", "bnb-vip.cc"),
    ("刷信用分提额度，秒到账，客服 {c}", "phone", "18611223311"),
    ("Earn $300/day reviewing products from home, apply {c}", "domain", "reviewpay.work"),
    ("Verified sellers only: cheap followers and likes, {c}", "tme", "smm_panel_cheap"),
    ("Casino bonus 200% on first deposit, promo inside {c}", "invite", "Zp4LmN8qTt"),
    ("Get your lost crypto back, recovery experts, contact {c}", "username", "recover_assets_pro"),
    ("宝妈在家做手工，计件结算，报名加 {c}", "wechat", "shougong_77"),
    ("代写论文，查重不过全额退款，找 {c}", "qq", "1928374650"),
    ("澳门新葡京线上开户，首存送彩金 {c}", "domain", "xpj8888.vip"),
    ("翻墙节点，一月十块，稳定不掉线 {c}", "tme", "kxsw_jiedian"),
    ("私人订制减肥茶，一个月瘦二十斤，{c}", "phone", "13722334455"),
    ("NFT mint live now, 500 free spots, connect wallet at {c}", "domain", "mint-free.xyz"),
    ("Hot singles in your area are waiting, chat now {c}", "domain", "localmatch.live"),
    ("Join my private forex class, 30% monthly, {c}", "username", "fx_mentor_lisa"),
    ("Buy aged Telegram accounts in bulk, {c}", "tme", "tg_accounts_store"),
    ("Selling Netflix premium for $2/month, DM {c}", "discord", "cheapsubs"),
    ("微商货源一手批发，支持一件代发，{c}", "wechat", "huoyuan_pifa1"),
    ("游戏装备低价出，全服最低，{c}", "username", "zhuangbei_shop"),
    ("彩票计划群，连中八期，进群 {c}", "invite", "Cp9xYt3kQz"),
    ("同城上门服务，安全私密，预约 {c}", "phone", "17099887766"),
    ("引流涨粉，抖音快手一条龙，官网 {c}", "domain", "zhangfen365.shop"),
    ("USDT 高价回收，当面交易，{c}", "tme", "usdt_huishou"),
    ("Crypto signals with 95% win rate, free trial {c}", "tme", "signals_daily_free"),
    ("Make money with your phone, no experience, start at {c}", "domain", "easy-cash.click"),
    ("Instant loans, no credit check, call {c}", "phone", "13311112222"),
    ("Exclusive OnlyFans leaks, join {c}", "invite", "Lk2PqW9rXy"),
    ("Dropshipping course 90% off today only {c}", "domain", "ecom-master.shop"),
    ("I doubled my savings in 2 weeks, ask {c} how", "username", "wealth_coach_amy"),
    ("Game boosting service, rank up fast, {c}", "discord", "boostpros"),
    ("Cheap VPN lifetime plan, pay once, {c}", "wechat", "vpn_forever"),
]

# Platform signals: a link behind innocent words, a URL button sent through an inline bot, a
# forward from a channel. (text, url) / (text, button text, url, bot) / (text, channel).
HIDDEN = [
    ("今天的会议纪要", "https://meeting-notes.top/login"),
    ("照片在这里", "https://t.me/fulipindao_2025"),
    ("老师布置的作业", "https://zy-answer.xyz/free"),
    ("the slides", "https://bit.ly/3FreeGift"),
    ("my portfolio", "https://xn--pple-43d.com/verify"),
    ("docs.python.org", "https://docs-python.org.vip/download"),
    ("github.com/psf/requests", "https://githubb.club/psf/requests"),
    ("点我看视频", "https://t.me/+Yt7HnQ2pLx"),
    ("Discord link", "https://discord.gg/nitrodrop"),
    ("收货地址", "https://tinyurl.com/shouhuo88"),
]
BUTTONS = [
    ("今日特惠", "立即领取", "https://youhui-lingqu.top/a", "coupon_robot"),
    ("🎰", "Play now", "https://spin-casino.bet/p", "slots_inline_bot"),
    ("兼职信息", "报名", "https://jz-baoming.site", "jobs_push_bot"),
    ("Flash sale", "Shop", "https://bit.ly/flash-sale-now", "dealsbot"),
    ("📢", "Join channel", "https://t.me/crypto_calls_vip", "promo_poster_bot"),
]
FORWARDS = [
    ("本周兼职日结项目汇总，私信管理员报名", "jianzhi_rijie"),
    ("今日足球推荐：主胜，稳", "zuqiu_tuijian"),
    ("New airdrop live, claim before it ends", "airdrop_alerts"),
    ("Limited seats for our trading masterclass, DM to book", "trade_academy"),
    ("福利姬最新合集已更新，进群看", "fuli_collection"),
]

ORDINARY = [
    "今天下雨，记得带伞",
    "有没有人知道附近哪里可以修手机屏幕",
    "这个 PR 我review 完了，留了几条评论",
    "下周一的例会取消",
    "参考一下 https://github.com/tiangolo/fastapi/blob/master/README.md",
    "我用微信支付的，发票开了",
    "微信群里的文件过期了，谁能再发一下",
    "刚在微信上跟我妈视频了",
    "快递单号 SF1403389201774 显示已签收但我没收到",
    "工号 20190356 的同事请到前台取包裹",
    "我的 QQ 邮箱收不到验证码",
    "明天给你打电话说吧",
    "客服电话 95588 打不通",
    "这个月话费 58 块",
    "设 λ 为特征值，则 Av = λv",
    "α 取 0.05 的时候不显著",
    "π 约等于 3.14159",
    "ε-δ 定义第一次看确实很绕",
    "跑了个半马，2 小时 05 分",
    "大家用 VS Code 还是 PyCharm",
    "楼下面馆的牛肉面涨价了，18 一碗",
    "抽奖又没中，明年再来",
    "@alice 你周末有空吗",
    "@bob 这个需求我们明天对一下",
    "@dave 谢谢你的红包🧧",
    "恭喜发财，红包拿来",
    "手气最佳，今晚请客",
    "基金今天跌了 2%，心疼",
    "比特币又创新高了，可惜没买",
    "区块链这门课的期末考试好难",
    "兼职做家教一小时多少钱合适？",
    "孩子明天开家长会",
    "群里的机器人挺好用的",
    "Telegram 在国内要科学上网吗",
    "QQ 音乐的会员到期了",
    "这个视频讲得很好 https://www.bilibili.com/video/BV1xx411c7mD",
    "豆瓣评分 9.1，推荐",
    "腾讯会议号 823 456 129，密码 1234",
    "路由器重启一下试试",
    "升级到 2.1.0 之后就好了",
    "TypeError: 'NoneType' object is not subscriptable",
    "文档在这 https://docs.python.org/3/library/asyncio.html",
    "知乎这个回答 https://www.zhihu.com/question/20899988/answer/123",
    "维基上说这个词是从日语来的",
    "晚饭吃火锅吗",
    "周五见",
    "困死了",
    "好嘞",
    "收到，马上处理",
    "哈哈哈哈笑死",
    "🎉🎉🎉 恭喜恭喜！🔥🔥🔥",
    "good morning everyone",
    "does anyone have a spare HDMI cable?",
    "left a few comments on the PR",
    "Monday standup is cancelled",
    "see https://github.com/django/django/blob/main/README.rst",
    "paid with WeChat Pay, got the receipt",
    "my mom video-called me on WeChat",
    "tracking SF1403389201774 says delivered but nothing arrived",
    "employee 20190356 please pick up your parcel",
    "my QQ mail isn't receiving codes",
    "I'll call you tomorrow",
    "the bank hotline 95588 never picks up",
    "phone bill was 58 this month",
    "let λ be an eigenvalue, Av = λv",
    "not significant at α = 0.05",
    "π is about 3.14159",
    "the ε-δ definition is confusing at first",
    "ran a half marathon in 2:05",
    "VS Code or PyCharm?",
    "the noodle place raised prices to 18",
    "didn't win the raffle again",
    "@alice free this weekend?",
    "@bob let's go over the requirement tomorrow",
    "@carol thanks for the red packet 🧧",
    "lucky draw winner buys dinner tonight",
    "my fund dropped 2% today",
    "bitcoin hit a new high, wish I had bought",
    "the blockchain course final was brutal",
    "how much should a tutor charge per hour?",
    "parents' evening tomorrow",
    "the group bot is handy",
    "do you need a VPN for Telegram in China?",
    "my music subscription expired",
    "great explainer https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "rated 9.1, recommended",
    "zoom id 823 456 1290, passcode 1234",
    "try restarting the router",
    "fixed after upgrading to 2.1.0",
    "TypeError: 'NoneType' object is not subscriptable",
    "docs: https://docs.python.org/3/library/asyncio.html",
    "there's a good stackoverflow answer https://stackoverflow.com/questions/231767",
    "wikipedia says the word came from Japanese",
    "hotpot for dinner?",
    "see you friday",
    "so sleepy",
    "cool",
    "on it",
    "lmao",
    "🎉🎉🎉 congrats!! 🔥🔥🔥",
    "有人私信说能带你炒币翻倍的，直接拉黑，都是骗局",
    "提醒大家：自称客服要你转账的都是诈骗",
    "if someone DMs you about investment returns, report them, it's a scam",
    "don't click links from strangers promising free crypto",
    "我在闲鱼卖了旧 Kindle，成交价 300",
    "公司楼下新开的奶茶店第二杯半价",
    "我表姐自己做的辣椒酱，想要的我带几瓶",
    "the meetup is free for students",
    "I'll send you the address on WhatsApp",
    "加我微信吧，照片发你",
    "my old number 13900001111 is no longer in use",
    "代码里这个常量 86400 是一天的秒数",
    "端口改成 8443 了",
    "时间戳 1717171717 对应哪天",
    "print(13800138000 % 97)",
    "ID 是 4412 开头的那个",
    "价格是 1,299 元，比上个月便宜了",
    "it costs $1,299 now, cheaper than last month",
    "Привет всем, как дела?",
    "спасибо, всё работает",
    "こんにちは、よろしくお願いします",
    "오늘 회의는 몇 시예요?",
    "（括号里的内容）是全角的，没关系",
    "ＯＫ，明白",
    "A B C 三个选项我选 B",
    "T-shirt 尺码是 L",
    "U S A vs C H N 今晚比赛",
    "I O U one coffee",
    "群公告说周末停电，大家注意",
    "频道里那篇文章写得不错",
    "扫码点餐太方便了",
    "二维码过期了，重新生成一下",
    "私聊你了，看一下",
    "我发你私信了",
    "进群之前先看群规",
    "想加入读书会的可以报名，周六下午",
    "联系方式我发给你了",
    "有事联系我",
    "主页有我的作品集",
    "关注一下公众号的通知",
    "免费的 Python 教程推荐一下？",
    "限时免费的那个游戏我领了",
    "双十一优惠券叠加之后挺便宜",
    "我们公司在招聘后端，有兴趣的私聊我",
    "we're hiring a backend dev, DM me if interested",
    "the free trial of that IDE is 30 days",
    "limited edition vinyl sold out in minutes",
    "subscribe to the newsletter for release notes",
    "follow the link in the README to install",
    "click the green button to merge",
    "join us at the park on Sunday",
    "sign up sheet is on the wiki",
    "check the channel for announcements",
    "forwarded from the team channel: release at 5pm",
    "下载 app 注册一下就能用",
    "我在京东买的，https://item.jd.com/100012043978.html",
    "淘宝这家店评价不错",
    "美团外卖到了",
    "小红书上看到的攻略",
    "抖音上这个博主挺有意思",
    "代码在 gitlab 上 https://gitlab.com/gitlab-org/gitlab",
    "npm 包地址 https://www.npmjs.com/package/react",
    "crates.io 上有这个库",
    "PyPI 上的版本 https://pypi.org/project/requests/",
    "用 Notion 做笔记 https://www.notion.so",
    "arXiv 上的论文 https://arxiv.org/abs/1706.03762",
    "@alice @bob @carol 开会了",
    "老板说明天加班",
    "体检报告出来了，都正常",
    "猫又把花瓶打翻了",
    "新年快乐！🧨🧧",
    "happy new year! 🧨🧧",
    "谁有多余的充电器",
    "今天股市大跌，心态崩了",
    "理财课讲的复利公式挺有用",
    "挖矿的显卡现在很便宜",
    "我在学量化交易，有没有推荐的书",
    "杠杆太高了，爆仓了",
    "交易所的 API 文档写得很烂",
    "合约到期了要续签",
    "这个项目的资源文件太大了",
    "渠道经理明天来拜访",
    "零花钱不够用了哈哈",
    "学生党求推荐耳机",
    "宝妈群里在聊辅食",
    "一天跑三个会，累死",
    "带你去吃那家烤肉",
    "账号密码别发群里",
    "会员到期了，续费吗",
    "注册流程有点复杂",
    "project resources are in the shared drive",
    "the channel manager visits tomorrow",
    "pocket money ran out lol",
    "student here, headphone recommendations?",
    "three meetings in a day, exhausted",
    "don't post account passwords in the group",
    "membership expired, renew?",
    "the sign-up flow is a bit complicated",
    "reading about leverage and margin calls",
    "our wallet integration broke after the update",
    "the promo video for the launch is ready for review",
    "wholesale prices for the office snacks are on the sheet",
    "commission structure is in the HR doc",
    "followers of the project on GitHub doubled",
    "the exclusive interview is out on the BBC https://www.bbc.com/news",
    "premium tier of our own app ships next week",
    "bonus round at the quiz night was fun",
    "the deal closed, champagne time",
    "vote for the team name in the poll",
    "😂",
    "👍",
    "🙏🙏",
    "？",
    "。。。",
    "6",
    "在吗",
    "ok",
    "thx",
    "nice",
]
ORDINARY_LINKED = [
    ("this issue", "https://github.com/python/cpython/issues/100000"),
    ("文档", "https://docs.python.org/zh-cn/3/"),
    ("docs.python.org/3/", "https://docs.python.org/3/"),
    ("维基百科", "https://zh.wikipedia.org/wiki/红包"),
    ("the video", "https://www.youtube.com/watch?v=rfscVS0vtbw"),
]
ORDINARY_FORWARDS = [
    ("明天全市降温，注意保暖", "user", None),
    ("Reminder: office closed on Monday", "user", None),
    ("国务院发布假期安排", "channel", "xinwen_kuaixun"),
]


def main() -> None:
    rows: list[dict] = []
    turns = {kind: cycle(range(len(forms))) for kind, forms in KINDS.items()}
    for index, (pitch, kind, value) in enumerate(PITCHES):
        half = "dev" if index % 2 == 0 else "test"
        for _ in range(3):
            contact = KINDS[kind][next(turns[kind])](value)
            rows.append({"label": "ad", "half": half, "text": pitch.format(c=contact)})
    for index, (words, url) in enumerate(HIDDEN):
        rows.append({"label": "ad", "half": ("dev", "test")[index % 2], "text": words,
                     "links": [{"url": url, "text": words}]})
    for index, (text, label, url, bot) in enumerate(BUTTONS):
        rows.append({"label": "ad", "half": ("dev", "test")[index % 2], "text": text, "via_bot": bot,
                     "buttons": [{"url": url, "text": label}]})
    for index, (text, channel) in enumerate(FORWARDS):
        rows.append({"label": "ad", "half": ("dev", "test")[index % 2], "text": text,
                     "forward": {"kind": "channel", "username": channel}})
    for index, text in enumerate(ORDINARY):
        rows.append({"label": "ok", "half": ("dev", "test")[index % 2], "text": text})
    for index, (words, url) in enumerate(ORDINARY_LINKED):
        rows.append({"label": "ok", "half": ("dev", "test")[index % 2], "text": words,
                     "links": [{"url": url, "text": words}]})
    for index, (text, kind, username) in enumerate(ORDINARY_FORWARDS):
        rows.append({"label": "ok", "half": ("dev", "test")[index % 2], "text": text,
                     "forward": {"kind": kind, "username": username}})
    out = Path(__file__).with_name("round3.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    for half in ("dev", "test"):
        part = [r for r in rows if r["half"] == half]
        ads = sum(r["label"] == "ad" for r in part)
        print(f"{out.name} {half}: {ads} ads, {len(part) - ads} ordinary")


if __name__ == "__main__":
    main()
