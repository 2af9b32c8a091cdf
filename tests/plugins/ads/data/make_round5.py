"""Builds round5.jsonl: written by hand after round 4 was tuned on and before the detector
saw this file, with each disguise written out inline (not by round 3's generators, whose
regularities the detector may have learnt), contacts at the start as well as the end, and
ordinary messages of other kinds than before. Never used for tuning: measured once."""

from __future__ import annotations

import json
from pathlib import Path

ZW = "\u200b"
ZWJ = "\u200d"

ADS = [
    "ｖｘ：ｈａｏｙｕｎ２０２５ 接各种跑腿代办，同城两小时送达",
    "淘宝京东拼多多全平台刷好评，V 信 haoping_dd",
    "@tuiguang_bot 点进去领今日红包码",
    "网上兼职招人，简单打字，日结三百，Ｑ：２７６６１９３０８４",
    "投资理财找我，月收益百分之二十，薇 xin 号 licai_666",
    "最新娱乐平台上线 ｈｔｔｐｓ：／／ｆａ８８．ｖｉｐ 首存即送",
    f"加群领资料 t{ZW}.{ZW}me/{ZW}ziliao_qun",
    "t.me/+GhT6yU8iOp 私密福利群，手慢无",
    "考研真题全套，便宜出，需要的加 wx → kaoyan_zl9",
    "美国手机号、谷歌账号批发，价格从优，tg：@acc_pifa",
    "高仿名表一比一，顶级做工，微：biao_yibiyi",
    "同城交友，附近的人都在这里 tongcheng-jy[.]com",
    "信用卡套现，当天到账，电话：壹伍捌 贰贰叁叁 肆肆伍伍",
    "炒股跟我，明天涨停股推荐，入群：t .me/ zhangting_gu",
    "日入五百，宝妈学生都能做，详情 bit.ly/rijie500",
    "团购群招代理，零成本，拉人就有佣金，威❤信 tuangou_dl",
    "菠菜担保平台，大额无忧，https://bc-danbao.club",
    "正品烟酒低价批发，货到付款，一五九 三三四四 五五六六",
    "明星同款减肥药，一周瘦十斤，私我 @shouxi_yao",
    "代练王者，包上王者，价格实惠 q q 2 6 6 8 9 0 1 1 3",
    "Make $1,000 a day with this simple trick! Visit easy-money[.]today",
    "Send me a message on WhatsApp +1 202 555 0178 for investment opportunities",
    "ＦＲＥＥ ＢＩＴＣＯＩＮ — claim at btc-claim.xyz",
    "Hi! I'm Jessica, lonely tonight, add me on snap: jess_x99",
    "Telegram: @forex_king_official — guaranteed 25% weekly profits",
    "Cheap Netflix, Disney+, HBO accounts, bulk price, dm t.me/streamshop_cheap",
    "Work from home opportunity!!! No experience needed, text 415-555-0132 now",
    f"Join our VIP pump group: d{ZWJ}i{ZWJ}s{ZWJ}c{ZWJ}o{ZWJ}r{ZWJ}d.gg/pumpvip",
    "Lost funds to a scam? We recover 100%, contact recoverypro(at)mail(dot)com",
    "Buy Instagram likes & followers instantly → growfast(.)shop",
    "New crypto presale 100x guaranteed, whitelist at presale-now.io",
    "wanna earn? dm @cash_queen_ for the method",
    "Sugar daddy looking for a sweet girl, allowance weekly, kik/tg: @daddy_rich",
    "Selling fake IDs and passports, fast shipping, contact wickr: docsmaker",
    "Get paid to like posts on TikTok, up to $50/hour, signup: tiktok-earn.site",
    "Betting tips 99% sure, join t.me/sure_odds_vip",
    "Your package is on hold, pay the fee at parcel-redelivery.top",
    "Crypto mining app pays daily, download: mineapp.vip",
    "Hot local singles 🔥💋 meetgirls(dot)live",
    "Loans for everyone, approval in 10 min, WhatsApp: +44 7911 123456",
]
HIDDEN = [
    ("群相册", "https://xiangce-share.top/a"),
    ("课程表", "https://t.me/kebiao_fuli"),
    ("receipt", "https://rb.gy/receipt88"),
    ("google.com", "https://g00gle-login.com/auth"),
    ("照片", "https://xn--80aqc2a.xn--p1ai/photo"),
]
BUTTONS = [
    ("今日推荐", "打开", "https://tuijian-app.site/o", "tuijian_inline_bot"),
    ("Prize", "Claim now", "https://prize-claim.win/x", "prizebot"),
]
FORWARDS = [
    ("兼职日结，手机就能做，私聊我", "jianzhi_pindao"),
    ("VIP channel: today's 3 sure bets inside", "surebets_daily"),
]
ORDINARY = [
    "周报写完了，放在群文件里",
    "谁知道这个快捷键是什么",
    "我家猫今天学会开门了",
    "晚上一起打羽毛球吗",
    "这周末加班，哭了",
    "请问停车场在哪个入口",
    "今天的天气适合晒被子",
    "刚买的耳机降价了，气死",
    "咖啡机坏了，谁会修",
    "下午茶到了，大家自取",
    "新来的同事叫小王，大家多关照",
    "这个库的文档写得真好 https://docs.pydantic.dev/latest/",
    "源码在这 https://github.com/pydantic/pydantic",
    "看这个回答 https://stackoverflow.com/a/12345678",
    "@alice 明天你值班吗",
    "@bob 合同盖章了",
    "@carol @dave 下午两点开会",
    "红包收到，谢谢！",
    "又抢到最小的，1 积分",
    "这周的读书会推迟一周",
    "设 f(x) = x² + 2x + 1，求 f′(x)",
    "Ω 是样本空间",
    "γ 射线的波长很短",
    "矩阵 A 的秩是 3",
    "价格 2,499，比双十一还便宜",
    "电话会议 400 810 2233 转 6",
    "分机号 8021",
    "验证码 482913，五分钟有效",
    "错误码 0x80070005",
    "进程 PID 31337 卡死了",
    "我的微信号就是手机号，直接搜",
    "微信群满了，开了二群",
    "QQ 空间还有人用吗",
    "电报的贴纸挺可爱",
    "WhatsApp 在国外用得多",
    "骗子又换新套路了，冒充快递理赔，大家小心",
    "看到有人在群里发兼职广告，管理员处理一下",
    "刚才那条广告已经被删了吧",
    "兼职的事我问过了，不靠谱",
    "我朋友的店开业，第一周全场八折，地址在人民路",
    "有没有人要二手的婴儿车，九成新，白送",
    "有意者联系我，我下周搬家，家具便宜处理",
    "点赞收藏转发，谢谢大家支持",
    "欢迎新朋友进群！",
    "今晚直播，记得来看",
    "免费领的那个会员券怎么用",
    "限时活动明天结束",
    "关注公众号回复“资料”可以领课件",
    "the standup notes are in the shared folder",
    "anyone know this shortcut?",
    "my cat learned to open doors today",
    "badminton tonight?",
    "working this weekend, sad",
    "which entrance is the parking lot?",
    "the earphones I bought just got cheaper, annoying",
    "coffee machine broke, anyone can fix it?",
    "snacks arrived, help yourselves",
    "welcome our new teammate Wang",
    "docs are great https://docs.pydantic.dev/latest/",
    "source https://github.com/pydantic/pydantic",
    "@alice on call tomorrow?",
    "@bob the contract is signed",
    "got the red packet, thanks!",
    "let f(x) = x² + 2x + 1, find f′(x)",
    "Ω is the sample space",
    "the rank of A is 3",
    "price is $2,499, cheaper than Black Friday",
    "conference line 400 810 2233 ext 6",
    "your code is 482913, valid for 5 minutes",
    "error 0x80070005",
    "process 31337 is stuck",
    "my WeChat ID is my phone number, just search it",
    "the WeChat group is full, opened a second one",
    "scammers have a new trick, fake parcel refunds, be careful",
    "someone posted a side-job ad here, admins please check",
    "my friend's shop opens this week, 20% off everything, it's on Main Street",
    "giving away a used stroller, like new, free",
    "moving next week, selling furniture cheap, message me if interested",
    "welcome to the new members!",
    "live stream tonight, don't miss it",
    "the limited event ends tomorrow",
    "Спасибо большое!",
    "お疲れ様です",
    "ＯＫ👌",
    "ＮＯ",
    "W T F 哈哈",
    "A P I 文档更新了",
    "v e r y   s l o w   network today",
    "1 2 3 4 5 上山打老虎",
    "电话：我等会打给你",
    "地址：朝阳区建国路 88 号",
    "订单 #20240601-0042 已发货",
    "版本 1.2.3 → 1.3.0",
    "😀😀😀",
    "🤣",
    "晚安",
    "gn",
]
ORDINARY_LINKED = [
    ("这个 PR", "https://github.com/pydantic/pydantic/pull/1"),
    ("docs", "https://docs.python.org/3/tutorial/"),
]
ORDINARY_FORWARDS = [
    ("下周一全员体检", "user", None),
]


def main() -> None:
    rows = [{"label": "ad", "text": text} for text in ADS]
    rows += [{"label": "ad", "text": w, "links": [{"url": u, "text": w}]} for w, u in HIDDEN]
    rows += [
        {"label": "ad", "text": t, "via_bot": b, "buttons": [{"url": u, "text": label}]}
        for t, label, u, b in BUTTONS
    ]
    rows += [{"label": "ad", "text": t, "forward": {"kind": "channel", "username": c}} for t, c in FORWARDS]
    rows += [{"label": "ok", "text": text} for text in ORDINARY]
    rows += [{"label": "ok", "text": w, "links": [{"url": u, "text": w}]} for w, u in ORDINARY_LINKED]
    rows += [
        {"label": "ok", "text": t, "forward": {"kind": k, "username": n}} for t, k, n in ORDINARY_FORWARDS
    ]
    out = Path(__file__).with_name("round5.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    ads = sum(r["label"] == "ad" for r in rows)
    print(f"{out.name}: {ads} ads, {len(rows) - ads} ordinary")


if __name__ == "__main__":
    main()
