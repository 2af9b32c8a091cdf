"""Builds heldout.jsonl: written after the last tuning round, in wording used nowhere else
(neither train.jsonl nor round1.jsonl), and never used to tune the detector. The corpus test
asserts the bar on this file."""

from __future__ import annotations

import json
from pathlib import Path


def zwj(text: str) -> str:
    return "\u200d".join(text)


def greek(text: str) -> str:
    return text.translate(str.maketrans({"o": "ο", "a": "α", "i": "ι", "e": "е", "k": "κ"}))


ADS = [
    "诚招线上推广合伙人，时间自由，收入上不封顶，详询威信 tg_partner77",
    "新盘上线，首存百分百赠送，网投就选我们，入口：ylc 点 bet",
    "高价回收各类游戏账号，秒结，联系扣扣：3390127745",
    "无视黑白户，最高可借五万，三分钟审批，热线 15911223344",
    "跟着导师做数字货币，一个月本金翻三倍，飞机联系 @coin_daoshi",
    "小红书代运营，七天起号，涨粉一万，wx：xhs_yunying",
    "在家动动手指就能赚钱，每天半小时，结算及时，私戳领名额",
    "各类APP拉新项目，一单二十，长期稳定，电报 ＠ｌａｘｉｎ＿ｘｍ",
    "篮球内部消息，每晚两场，连红十天，跟单进 t.me/+Hq2wErT9yUi",
    "寂寞了吗？本地妹子视频聊天，加 ｖ ｘ：meimei_520",
    zwj("注册即送体验金") + "，官网 win-cash.vip",
    greek("Make easy profits with our trading bot, message") + " @algo_profit_bot",
    "招募带货主播，底薪加提成，月入三万+，加V：zhubo_hire",
    "刷流水做任务，一天三五百，新手也能做，qq 2019384756",
    "二手苹果手机批发，全网最低，看朋友圈 weixin：iphone_pifa",
    "专业刷好评、删差评，效果保证，联系电话 186 1122 3344",
    "月付五块的加速器，流畅看油管，购买地址 speedvpn(.)xyz",
    "游戏金币代打代练，价格实惠，@daili_gamebot 下单",
    "Quick cash for students!! Apply today, no paperwork, text 07700 900456 or WhatsApp +44 7700 900456",
    "My uncle showed me how to turn $200 into $5,000 in a week, ask @uncle_wealth on telegram",
    "Accepting investors for our forex pool, 25% monthly returns guaranteed, info at forexpool.top",
    "Buy verified Instagram accounts cheap, bulk discount, order via t.me/igshop_store",
    "Bored tonight? Lonely ladies near you want to chat 💋 visit singlesnearby.live",
    "Hacked or scammed? Certified recovery agents, contact +1 (718) 555-0147",
    "The next 1000x gem is here, fair launch in 2 hours, join t.me/gemlaunchpad",
    "Payday advance up to $1000, same day deposit, apply: payfast-advance.site",
    "Remote data entry job, $45/hr, no interview, message HR on WhatsApp +63 917 555 0123",
    "Claim your free $100 gift card now! bit.ly/gift100now",
    "Daily crypto signals with 98% accuracy, subscribe at signalking.club",
    "I buy and sell USDT at the best rate, DM me @usdt_dealer_hk",
    "同城交友平台，真实靠谱，下载地址 yuehui-app(dot)com",
    "招聘网络兼职打字员，日结100-300元，有意者加 q q 1627384950",
    "正规贷款公司，不看征信，放款快，咨询 176-1234-5678",
    "全新会员账号出租，影视会员通用，微 信 号：vip_zulin88",
    "币圈大佬免费带你撸空投，进群领福利 t.me/joinchat/AirDropCN2025",
]
LINKED = [
    ("查看详情", "https://xiangqing-earn.top/a"),
    ("Watch video", "https://cutt.ly/watchnow"),
    ("群公告", "https://t.me/qunfuli_888"),
    ("docs.python.org", "https://d0cs-python.org.xyz"),
    ("free gift", "https://giftbox.shop/claim"),
]
FORWARDS = [
    ("每日精选兼职项目，私聊领取", "jianzhi_daily"),
    ("VIP signals for today, join now", "vipsignals_pro"),
    ("今日福利已更新，戳链接", "fuli_pindao"),
]

ORDINARY = [
    "今天地铁好挤，差点没挤上",
    "群里有人会修自行车吗",
    "这个 bug 我复现了，日志贴在下面",
    "明天的分享会改到四点了",
    "参考这个实现 https://github.com/psf/requests/blob/main/src/requests/api.py",
    "我刚用微信扫码付了停车费",
    "你微信名叫什么？我搜不到",
    "微信读书上有这本书，可以一起读",
    "我的订单 7791028374651 被拆成两个包裹了",
    "发票号码 04412345 这个对吗",
    "我的学号是 2021123456",
    "有事打我电话就行，我一直在",
    "我家宽带报修电话一直占线",
    "这个月电费 286 块",
    "设 θ 为夹角，则 cos θ = a·b/|a||b|",
    "μ 和 σ 分别是均值和标准差",
    "Δx 趋近于 0 时极限存在",
    "周末骑行 40 公里，腿废了",
    "你们用 Mac 还是 Windows",
    "食堂今天的红烧肉不错",
    "年会抽奖我又没中",
    "@alice 你上次推荐的耳机到了，音质很好",
    "@bob 周报模板发我一下",
    "@carol 生日快乐🎂",
    "红包来啦，谢谢老板",
    "又是手气最差的我",
    "A股今天涨了，难得",
    "以太坊的设计挺有意思的，最近在看黄皮书",
    "理财还是定投指数基金最省心",
    "兼职做翻译的话一般怎么收费？",
    "宝宝发烧了，今天请假",
    "电报群的机器人是谁加的？",
    "Telegram 桌面版最近更新了",
    "QQ 群文件下载不了",
    "B 站这个教程讲得清楚 https://www.bilibili.com/video/BV1GJ411x7h7",
    "豆瓣上这本书评分不高",
    "会议改成线上，腾讯会议号 456 789 123",
    "Wi-Fi 密码贴在前台了",
    "v3.0.0 有破坏性变更，升级注意",
    "报错 ModuleNotFoundError: No module named 'yaml'",
    "看文档 https://docs.python.org/zh-cn/3/library/re.html",
    "知乎上有人分析过这个问题 https://www.zhihu.com/question/31234567",
    "维基百科的条目写得很详细",
    "午饭吃啥",
    "下班了下班了",
    "好热啊",
    "晚安，明天见",
    "好的",
    "收到👌",
    "哈哈哈",
    "😂😂😂",
    "hey folks",
    "is the gym open on holidays?",
    "reproduced the bug, logs below",
    "talk moved to 4pm",
    "based on https://github.com/pallets/flask/blob/main/src/flask/app.py",
    "paid for parking via WeChat just now",
    "what's your WeChat name? can't find you",
    "order 7791028374651 was split into two packages",
    "student id 2021123456",
    "call me anytime, I'm around",
    "ISP support line is always busy",
    "electricity bill was $86 this month",
    "let θ be the angle, cos θ = a·b/(|a||b|)",
    "μ and σ are the mean and sd",
    "rode 40km this weekend, legs are dead",
    "Mac or Windows?",
    "cafeteria pork was good today",
    "@alice the headphones you recommended arrived",
    "@dave send me the report template",
    "happy birthday @carol 🎂",
    "thanks for the red packet boss",
    "worst luck again lol",
    "stocks up today for once",
    "reading the ethereum yellow paper",
    "index funds are the least stressful",
    "how much do freelance translators charge?",
    "kid has a fever, taking the day off",
    "who added the bot to the telegram group?",
    "Telegram desktop got an update",
    "can't download files from the group",
    "good tutorial https://www.youtube.com/watch?v=rfscVS0vtbw",
    "the book has a low rating on goodreads",
    "meeting is online now, zoom 456 789 1234",
    "wifi password is at the front desk",
    "v3.0.0 has breaking changes",
    "ModuleNotFoundError: No module named 'yaml'",
    "see https://docs.python.org/3/library/re.html",
    "wikipedia has a detailed article on it",
    "lunch?",
    "clocking out",
    "so hot",
    "gn, see you tomorrow",
    "sounds good",
    "👌",
    "我在闲鱼上卖了旧相机，挺快就出了",
    "有人拼车去机场吗，明早六点",
    "楼下新开了家咖啡店，第二杯半价",
    "my cousin sells homemade jam, I can bring some if anyone wants",
    "the conference has a free student pass this year",
    "别信那些私聊说能赚钱的，都是骗子",
    "beware of accounts offering crypto returns in DMs, they are scams",
    "I'll WhatsApp you the address",
    "加我微信吧，方便发文件",
    "my number changed, the old one 139 1234 5678 is off now",
]


def main() -> None:
    rows = [{"label": "ad", "text": t} for t in ADS]
    for words, url in LINKED:
        rows.append({"label": "ad", "text": words, "links": [{"url": url, "text": words}]})
    for text, channel in FORWARDS:
        rows.append({"label": "ad", "text": text, "forward": {"kind": "channel", "username": channel}})
    rows.append(
        {
            "label": "ad",
            "text": "🎁",
            "via_bot": "inlinead_bot",
            "buttons": [{"url": "https://redeem-gift.win", "text": "领取"}],
        }
    )
    rows += [{"label": "ok", "text": t} for t in ORDINARY]
    rows.append(
        {
            "label": "ok",
            "text": "issue",
            "links": [{"url": "https://github.com/org/repo/issues/9", "text": "issue"}],
        }
    )
    rows.append(
        {
            "label": "ok",
            "text": "看这篇",
            "links": [{"url": "https://zh.wikipedia.org/wiki/Python", "text": "看这篇"}],
        }
    )
    out = Path(__file__).with_name("heldout.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"{out}: {sum(r['label'] == 'ad' for r in rows)} ads, {sum(r['label'] == 'ok' for r in rows)} ordinary"
    )


if __name__ == "__main__":
    main()
