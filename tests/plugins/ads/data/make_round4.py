"""Builds round4.jsonl: written after round 3 was measured and before any of round 3's test
half was read, and never used for tuning. New pitches and ordinary messages; the disguises of
round 3 (``make_round3.KINDS``) taken in turn from a different starting point, so each pitch
meets other forms than its round-3 neighbours did."""

from __future__ import annotations

import json
import sys
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from make_round3 import KINDS  # noqa: E402

PITCHES = [
    ("淘宝刷单员，一单佣金五到十元，当天结算，{c}", "wechat", "shuadan_hz01"),
    ("收各大平台会员账号，秒结款，{c}", "qq", "3098127764"),
    ("体育赛事内部料，胜率九成，跟单群 {c}", "tme", "tiyu_neibu"),
    ("零基础学剪辑接单，月入过万，课程入口 {c}", "domain", "jianji-xue.site"),
    ("无抵押信用贷，黑户也能下，专线 {c}", "phone", "15677889900"),
    ("Need a loan today? Bad credit OK, text {c}", "phone", "13566778899"),
    ("Private pump group, next call in 1 hour, {c}", "invite", "Rf7TqW3nPz"),
    ("Free V-bucks generator, join the server {c}", "discord", "vbuckfree"),
    ("寂寞女神在线视频，私 {c}", "wechat", "nvshen_520"),
    ("学生分期，不查征信，额度五千，{c}", "qq", "2277113399"),
    ("欧易注册送盲盒，最高一千U，{c}", "domain", "okx-gift.vip"),
    ("代开各类发票，税点低，{c}", "phone", "18899001122"),
    ("Remote job: $40/hour typing captchas, sign up {c}", "domain", "captcha-job.online"),
    ("Cheap Instagram followers, 10k for $5, {c}", "tme", "ig_growth_fast"),
    ("Sports betting tips, 10x your money, {c}", "invite", "Bt5YhU8kLm"),
    ("Hacked account? Our experts restore it in 24h, {c}", "username", "account_rescue"),
    ("在家打字员，日结一百五，{c}", "wechat", "dazi_rijie"),
    ("论文降重，知网查重保过，{c}", "qq", "1357924680"),
    ("真人百家乐，每日返水百分之一点五，{c}", "domain", "bjl-vip.bet"),
    ("机场节点，奈飞解锁，月付八块 {c}", "tme", "jichang_nf"),
    ("祖传秘方治脱发，三个疗程见效，{c}", "phone", "13911223344"),
    ("Claim your airdrop before midnight, connect at {c}", "domain", "claim-drop.xyz"),
    ("Lonely? Meet verified girls tonight {c}", "domain", "datenow.fun"),
    ("Copy my trades, 40% monthly guaranteed, {c}", "username", "trader_mike_fx"),
    ("Selling phone-verified accounts, any country, {c}", "tme", "verified_acc_shop"),
    ("Spotify premium lifetime for $10, {c}", "discord", "premiumcheap"),
    ("工厂直供女装，一件代发，{c}", "wechat", "nvzhuang_gc8"),
    ("游戏代练上分，王者荣耀包上星耀，{c}", "username", "daili_shangfen"),
    ("时时彩人工计划，包赢，{c}", "invite", "Ss3LpQ7xVc"),
    ("本地约会，实名认证，{c}", "phone", "17766554433"),
    ("抖音粉丝一万只要五十，{c}", "domain", "dyfans.shop"),
    ("高价收 U，现金交易，{c}", "tme", "shou_u_cash"),
    ("Whale alerts and insider signals, free for 7 days {c}", "tme", "whale_insider"),
    ("Work 2 hours a day from your phone, earn $500 weekly, {c}", "domain", "phone-earn.click"),
    ("Fast cash loan approved in minutes, {c}", "phone", "15011223344"),
    ("Leaked celebrity pics, join {c}", "invite", "Lc8MnB2vQx"),
    ("Amazon FBA secrets course 95% off {c}", "domain", "fba-secrets.shop"),
    ("Turned $500 into $20k with this bot, ask {c}", "username", "bot_profit_sam"),
    ("Valorant rank boost, cheap and safe, {c}", "discord", "rankboost"),
    ("不限速梯子，永久会员，{c}", "wechat", "tizi_yongjiu"),
]
HIDDEN = [
    ("上周的聚会照片", "https://juhui-photo.top/album"),
    ("期末复习资料", "https://t.me/ziliao_fenxiang"),
    ("the meeting notes", "https://cutt.ly/notes-free"),
    ("bilibili.com/video", "https://bilibili.com.vip-video.cc/v"),
    ("invoice", "https://xn--nvoice-o1a.com/pay"),
    ("点这里报名", "https://t.me/+Wq2ErT5yUi"),
]
BUTTONS = [
    ("新人专享", "领红包", "https://xinren-hb.top", "hongbao_push_bot"),
    ("Bonus", "Claim", "https://claim-bonus.win", "bonus_inline_bot"),
    ("课程", "免费试听", "https://shiting-ke.site/free", "course_ads_bot"),
]
FORWARDS = [
    ("今日兼职：手机做任务，一单一结，私聊", "renwu_jianzhi"),
    ("Signals: BTC long now, 20x, join VIP", "btc_signals_vip"),
    ("福利群招人，免费看片，进群私我", "fuli_qun_zhaoren"),
]
ORDINARY = [
    "下午的会挪到三楼了",
    "有人知道这个报错怎么解决吗 KeyError: 'id'",
    "我把设计稿放在共享盘了",
    "周末去爬山吗，天气不错",
    "这个函数的复杂度是 O(n log n)",
    "σ² 是方差，别和标准差搞混",
    "β 版本下周发布",
    "我女儿今天第一次叫爸爸",
    "楼上装修好吵",
    "明天早上八点集合，别迟到",
    "外卖小哥送错了，我的麻辣烫呢",
    "我在二手平台卖掉了旧显示器",
    "这家店的拿铁 18 块，味道一般",
    "年终奖发了，请大家喝奶茶",
    "@carol 你的快递在我这",
    "@dave 会议链接发一下",
    "谢谢老板的红包 🧧🧧",
    "手气太差了，才 1 积分",
    "今天基金红了，开心",
    "学了一下午的线性代数",
    "这道题用动态规划做",
    "服务器又挂了，重启中",
    "日志在 /var/log/app.log",
    "错误码 502，网关超时",
    "版本号 3.12.1",
    "验证码一直收不到，换个手机号试试",
    "我手机号换了，新的私聊发你",
    "微信视频卡得不行",
    "QQ 群里的作业截止到周五",
    "电报上的那个群解散了",
    "看到一个防骗指南，分享给大家：不要给陌生人转账",
    "小心那些说稳赚不赔的，都是骗子",
    "我被骗过一次，教训深刻",
    "文档链接 https://developer.mozilla.org/zh-CN/docs/Web/JavaScript",
    "源码 https://github.com/encode/httpx",
    "PEP 8 https://peps.python.org/pep-0008/",
    "这篇论文 https://arxiv.org/abs/2005.14165",
    "油管上这个讲座不错 https://youtu.be/kCc8FmEb1nY",
    "会议号 912 334 551",
    "房间号 1203",
    "车牌号后四位 8866",
    "订单号 2024052012345678",
    "快递单号 YT2238859901122",
    "这个月房租 3500",
    "iPhone 15 降到 4999 了",
    "Good night all",
    "anyone up for badminton tomorrow?",
    "the build is red again",
    "merged, thanks",
    "complexity is O(n log n)",
    "σ² is the variance",
    "β release next week",
    "my daughter said her first word today",
    "the renovation upstairs is so loud",
    "meet at 8am sharp",
    "the delivery guy brought the wrong order",
    "sold my old monitor on a second-hand app",
    "the latte is $4.50 and only ok",
    "bonus came in, bubble tea on me",
    "@carol your parcel is with me",
    "@dave can you share the meeting link",
    "thanks for the red packet boss 🧧",
    "got 1 point, worst luck",
    "my fund is green today",
    "spent the afternoon on linear algebra",
    "use dynamic programming for this one",
    "server is down again, restarting",
    "logs are in /var/log/app.log",
    "error 502, gateway timeout",
    "version 3.12.1",
    "not getting the SMS code, try another number",
    "changed my number, will DM you the new one",
    "WeChat video keeps freezing",
    "homework in the QQ group is due friday",
    "the telegram group was deleted",
    "a guide against scams: never send money to strangers",
    "be careful with anyone promising guaranteed profit, they are scammers",
    "I got scammed once, learned my lesson",
    "docs https://developer.mozilla.org/en-US/docs/Web/JavaScript",
    "source https://github.com/encode/httpx",
    "PEP 8 https://peps.python.org/pep-0008/",
    "the paper https://arxiv.org/abs/2005.14165",
    "room 1203",
    "plate ends in 8866",
    "order 2024052012345678",
    "rent is 3500 this month",
    "iPhone 15 dropped to $699",
    "我们团队在招前端实习生，有意向的发简历到 hr 邮箱",
    "the team is hiring a frontend intern, send your CV to the HR inbox",
    "群里谁在卖二手自行车来着？",
    "who was selling a used bike in here?",
    "免费讲座今晚七点，地点图书馆",
    "free talk tonight at 7, library",
    "领取会议资料请到前台",
    "这周的读书会主题是《三体》",
    "关注天气预报，明天有暴雨",
    "点击右上角的菜单就能找到设置",
    "click the menu in the top right for settings",
    "join the call when you're ready",
    "follow the steps in the wiki",
    "subscribe to the repo for release notifications",
    "Как пройти в библиотеку?",
    "ありがとうございます！",
    "ＡＢＣ三个方案",
    "「引号」和（括号）都是全角",
    "I C U",
    "V 1 . 2 . 3 发布了",
    "wx 小程序的审核过了",
    "我的 QQ 号忘了，找回不了",
    "公众号推文写好了",
    "频道更新了一期播客",
    "群公告更新了，大家看一下",
    "进群的时候记得改备注",
    "扫码签到，谢谢配合",
    "私聊我一下，问你个事",
    "有需要的话找我",
    "主页上有联系方式",
    "交易所今天维护",
    "合约条款再确认一下",
    "量化这个方向挺卷的",
    "挖矿太费电了",
    "理财要量力而行",
    "兼职的事情晚点说",
    "宝妈们有什么好的早教推荐",
    "学生党的省钱小技巧",
    "今天一天都在开会",
    "带你去个好地方吃饭",
    "资源管理器打不开了",
    "渠道那边回复了吗",
    "项目周会改到周四",
    "注册表改坏了，系统起不来",
    "会员日的活动挺多",
    "🎂🎂 生日快乐",
    "🚀 shipped!",
    "✅ done",
    "💰 预算批下来了",
    "👉 看这里 👈 哈哈",
    "6666",
    "收到",
    "嗯嗯",
    "yes",
    "no",
]
ORDINARY_LINKED = [
    ("这个 issue", "https://github.com/encode/httpx/issues/1"),
    ("MDN", "https://developer.mozilla.org/en-US/"),
    ("wiki", "https://en.wikipedia.org/wiki/Red_envelope"),
]
ORDINARY_FORWARDS = [
    ("周末停水通知", "user", None),
    ("Team offsite photos are up", "user", None),
]


def main() -> None:
    rows: list[dict] = []
    # Start each kind's disguises two forms further on than round 3 did.
    turns = {kind: islice(cycle(range(len(forms))), 2, None) for kind, forms in KINDS.items()}
    for pitch, kind, value in PITCHES:
        for _ in range(3):
            rows.append({"label": "ad", "text": pitch.format(c=KINDS[kind][next(turns[kind])](value))})
    for words, url in HIDDEN:
        rows.append({"label": "ad", "text": words, "links": [{"url": url, "text": words}]})
    for text, label, url, bot in BUTTONS:
        rows.append({"label": "ad", "text": text, "via_bot": bot, "buttons": [{"url": url, "text": label}]})
    for text, channel in FORWARDS:
        rows.append({"label": "ad", "text": text, "forward": {"kind": "channel", "username": channel}})
    rows += [{"label": "ok", "text": text} for text in ORDINARY]
    for words, url in ORDINARY_LINKED:
        rows.append({"label": "ok", "text": words, "links": [{"url": url, "text": words}]})
    for text, kind, username in ORDINARY_FORWARDS:
        rows.append({"label": "ok", "text": text, "forward": {"kind": kind, "username": username}})
    out = Path(__file__).with_name("round4.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    ads = sum(r["label"] == "ad" for r in rows)
    print(f"{out.name}: {ads} ads, {len(rows) - ads} ordinary")


if __name__ == "__main__":
    main()
