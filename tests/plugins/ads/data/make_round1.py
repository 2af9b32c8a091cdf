"""Builds round1.jsonl: written after the detector was tuned, in other words than train.jsonl
(other trades' phrasing, other contact forms, other disguises), and never used to tune it.
The corpus test asserts the bar on this file only. Hand-written lines; a few disguises are
applied by code so they are exact (zero-width, look-alike letters, full width)."""

from __future__ import annotations

import json
from pathlib import Path

ZW = "\u200b"


def zw(text: str) -> str:
    return ZW.join(text)


def cyr(text: str) -> str:
    return text.translate(str.maketrans({"a": "а", "o": "о", "e": "е", "c": "с", "p": "р", "x": "х"}))


def full(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


ADS = [
    "高薪招聘打字员，在家就能做，每天两小时，薪资日结，感兴趣加薇：xm_8866",
    "老铁们，新开的娱乐平台，注册就送88元彩金，提款秒到账，网址 vip8866.cc",
    "专业代办各类证件，加急三天出证，扣扣 2847163950",
    "正规平台低息借款，凭身份证即可，当天放款，联系 18677889900",
    "币安合约跟单群，老师每天带单，胜率90%，进群请加飞机 @binance_teacher01",
    "承接各类推广，抖音点赞评论，价格美丽，V：tuiguang_520",
    "想赚点零花钱的宝宝看过来，简单易上手，手机就能操作，私我领教程",
    "出售各平台实名账号，批量优惠，需要的滴滴 ＴＧ：＠ｈａｏｓｈａｎｇ_ｖｉｐ",
    "足球推荐，每天三场稳单，上个月红单率85%，跟投请进群 t.me/joinchat/Qk7sLpZ2mWx",
    "同城寂寞少妇在线陪聊，视频一对一，加 wei xin 看照片：lily2024ok",
    f"{zw('免费领取USDT')}，限前100名，链接 airdrop-claim.xyz",
    f"{cyr('Get rich with crypto copy trading, contact expert')} @crypto_mentor_jack",
    f"{full('Join our VIP group')} t.me/+Zx81kLmQpa0",
    "兼 职 招 聘：淘 宝 刷 单，每 单 佣 金 5-20 元，v x：job 6688",
    "挂机项目，无需技术，一天收益三五百，加 V 详聊 money_go99",
    "代理招募：零成本创业，返佣高达50%，咨询 QQ群 736251948",
    "网站 seo 快速排名，包上首页，联系电话 139-2233-4455",
    "信用卡逾期、网贷逾期协商还款，专业团队，加微 xieshang_001",
    "优质翻墙节点，奈飞解锁，包月仅需9.9，官网 fastnode(dot)top",
    "会员卡低价代充，腾讯爱奇艺优酷全都有，找我 @vipcard_bot",
    "Make $3,000 weekly from your phone! No skills required. WhatsApp +44 7700 900123",
    "I made $12k last month trading with Mrs. Olivia, message her on telegram @olivia_fx_trades",
    "Looking for partners for a guaranteed 20% weekly return, DM for details, t.me/profitpartners",
    "Cheap Netflix, Spotify, Disney+ accounts, lifetime warranty, order at premiumshop.store",
    "Hey guys! Check out my exclusive content, link in bio 🔥🔥🔥 @sweetanna_vip",
    "Lost money to a fake exchange? Our recovery experts can help, email or text +1 (646) 555-0199",
    "🚀 New memecoin launching tonight, 100x potential, presale at moonrocket.finance 🚀",
    "Need a loan fast? Bad credit OK, approval in 10 minutes, apply at quickcash-loans.online",
    "Earn up to $500 daily from home, limited slots! click here",
    "Verify your wallet to receive the airdrop: walletconnect-sync.app",
    "hello sir, you want to invest in bitcoin mining? very high profit, whatsapp me +234 803 555 0188",
    "Get 10k real followers in 24 hours, best price guaranteed, DM @growfast_smm",
    f"Free spins and 200% welcome bonus at {cyr('casino')}-royale.bet, play now",
    "Escort service available 24/7, discreet, contact on Signal: +7 915 555 0142",
    "Join the discord for free NFT mints discord.gg/freemintz",
    "我是做跨境电商的，有货源，需要拿货的加我微信 kjds_2025 看朋友圈",
    "澳门新葡京线上开业，充值即送，官方网址 xpj 点 vip",
    "招聘兼职客服，日薪三百，无需经验，联系人电报 ＠kefu_zhaopin",
    "免费看片资源群，每天更新，扫码进群或加 q 1938475620",
    "学生贷，无需父母同意，秒下款，微-信：daikuan_666",
    "黑U白U兑换，量大从优，安全快捷，飞机：@uexchange_king",
    "考试包过，四六级、驾照、教资，保证通过，咨询 w x：kaoshi_bg",
    "急招网络推手，写好评一条3元，日结，加 V 信 haoping_88",
    "私人影院会员，最新大片抢先看，联系 17712345678",
    "全网最低价游戏点卡，联系客服 ＱＱ：５５６６７７８８９",
]
LINKED = [
    ("领取福利", "https://fuli-zone.top/gift"),
    ("官方客服", "https://t.me/support_fake_cn"),
    ("Claim reward", "https://bit.ly/4claimx"),
    ("github.com/official", "https://g1thub-login.xyz"),
    ("点击查看", "http://tinyurl.com/y7xkq2"),
    ("报名", "https://join-earn.site/reg"),
]
FORWARDS = [
    "🔥最新赚钱项目，详情看频道置顶",
    "Daily signals, 95% accuracy, join us",
    "今日精选资源，点击下方按钮",
    "币圈内幕消息，每天更新",
    "福利合集，错过等一年",
]

ORDINARY = [
    "大家早，今天又是搬砖的一天",
    "有人知道公司楼下那家面馆几点开门吗",
    "刚提交了代码，麻烦帮忙 review 一下",
    "这周五团建，去爬山还是吃烤肉？",
    "我把上次讨论的文档整理好了，放在 https://github.com/org/wiki/blob/main/notes.md",
    "昨天加了个群友的微信，聊得挺开心",
    "微信支付和支付宝哪个手续费低？",
    "我妈让我在微信上给她转点钱",
    "这个快递单号 YT2398475610234 显示已签收但我没收到",
    "发票抬头写公司全称就行吗",
    "订单 4829103745829 退款到账了",
    "我手机号换了，新号回头私发你",
    "我们公司的客服热线 400 打不通",
    "房租涨到 3200 了，顶不住",
    "∑ 从 i=1 到 n 的和是 n(n+1)/2",
    "λ 表达式在 Python 里怎么写多行？",
    "π 取 3.14 就够了吧",
    "今天跑步配速 5'30\"，还行",
    "这道题的答案是 -1",
    "谁有 PyCon 的门票",
    "周末下雨，宅家打游戏",
    "新来的同事人很好",
    "@alice 你的 PR 我看了，有两个小问题",
    "@carol 明天的会你参加吗",
    "@dave 记得交周报",
    "谢谢群主的红包🧧",
    "抢到 3 积分，哈哈",
    "手气最佳，开心",
    "股市今天绿得发慌",
    "比特币的白皮书其实写得挺好的",
    "有没有人推荐个靠谱的理财 App？我只想买点货币基金",
    "投资有风险，大家理性",
    "我觉得兼职送外卖挺累的",
    "宝妈们有没有推荐的早教班",
    "博物馆周末免费开放，可以带孩子去",
    "电报上有个开源项目的群，挺活跃的",
    "我在 Telegram 上关注了几个新闻频道",
    "QQ 邮箱收不到验证码怎么办",
    "B站那个 up 主更新了",
    "豆瓣评分 8.9，推荐看",
    "这家店在大众点评上评分挺高",
    "明天 9:00 在 3 楼会议室",
    "会议号：123 456 789",
    "密码要 8 位以上，含大小写",
    "版本 1.13.2 修复了内存泄漏",
    "错误码 0x80070005 权限不足",
    "看下这个 issue https://github.com/python/cpython/issues/12345",
    "文档在 https://docs.djangoproject.com/en/5.0/",
    "stackoverflow 上有人问过一样的问题",
    "维基上说长城不是在太空能看到的",
    "知乎这个回答太搞笑了",
    "谁会用 Excel 做透视表",
    "打印机又卡纸了",
    "中午吃什么",
    "下班一起走吗",
    "今天好冷",
    "空调坏了，热死",
    "恭喜发财，红包拿来",
    "这个梗我没看懂",
    "哈哈哈笑死",
    "晚安各位",
    "收到收到",
    "OK",
    "👍👍",
    "🎉🎉🎉",
    "morning all",
    "does anyone know a good dentist nearby?",
    "pushed the fix, CI is green now",
    "team lunch on Friday, pizza or sushi?",
    "notes from today's call: https://github.com/org/repo/wiki/Meeting-Notes",
    "I added her on WeChat after the meetup",
    "my mum only uses WhatsApp, so I message her there",
    "the tracking number is 9400111899223100012345, shows delivered",
    "invoice #2024-0387 has been paid",
    "I changed my number, will text you the new one",
    "customer support line is 1-800-FLOWERS lol",
    "rent went up to $2,100, ouch",
    "Σ from i=1 to n gives n(n+1)/2",
    "use a lambda for the key function",
    "π ≈ 3.14159",
    "ran a 25:30 5k today",
    "answer: -1",
    "anyone have a spare PyCon ticket?",
    "raining all weekend, gaming time",
    "@alice left two comments on your PR",
    "@bob you joining standup?",
    "thanks for the red packet!",
    "got 3 points haha",
    "markets are red today",
    "the bitcoin whitepaper is a good read",
    "any reliable budgeting app recommendations?",
    "investing is risky, be careful",
    "delivery side gigs are exhausting",
    "free museum day this Sunday",
    "I follow a few news channels on Telegram",
    "Gmail is not sending my verification code",
    "that YouTube channel posted a new video https://www.youtube.com/watch?v=abc123XYZ",
    "rated 8.9 on IMDb, worth it",
    "meeting at 9:00 room 3B",
    "zoom ID 812 3456 7890",
    "passwords need 8+ characters",
    "v1.13.2 fixes the leak",
    "error 0x80070005 access denied",
    "see https://github.com/rust-lang/rust/issues/98765",
    "docs: https://react.dev/learn",
    "same question on stackoverflow: https://stackoverflow.com/questions/231767",
    "wikipedia says the wall isn't visible from space",
    "who knows pivot tables?",
    "printer jammed again",
    "what's for lunch",
    "heading out, anyone coming?",
    "freezing today",
    "AC broke, dying here",
    "this meme went over my head",
    "lmao",
    "night everyone",
    "noted",
    "ok",
    "🙏",
    "our company is hiring backend engineers, the posting is on the careers page of apple.com",
    "I sell handmade cakes on weekends, if anyone in the group wants one just ask me here",
    "the giveaway on the official Python blog ended yesterday",
    "join us at the park at 5, bring a frisbee",
    "free coffee at the office today!",
    "DM me the slides when you get a chance",
    "check the pinned message for the rules",
    "my old number 138 0000 0000 is gone, don't call it",
    "拼团买水果，有人一起吗？在群里接龙就行",
    "我们小区的团购群在微信里，需要的私聊我拉你",
    "周末出闲置：婴儿车一辆，八成新，群里有人要吗",
    "I'm selling my old monitor, 100 bucks, anyone here interested?",
    "看到有人冒充管理员加微信，大家小心诈骗",
    "scam alert: someone is DMing members pretending to be the admin",
]


def main() -> None:
    rows = [{"label": "ad", "text": t} for t in ADS]
    for words, url in LINKED:
        rows.append(
            {
                "label": "ad",
                "text": f"{words}，名额有限" if not words.isascii() else f"{words} before it ends",
                "links": [{"url": url, "text": words}],
            }
        )
    for i, text in enumerate(FORWARDS):
        rows.append(
            {
                "label": "ad",
                "text": text,
                "forward": {"kind": "channel", "username": f"richpath{i}_cn"},
                "buttons": [{"url": f"https://go{i}.vip/in", "text": "进入"}] if i % 2 else [],
            }
        )
    rows.append(
        {
            "label": "ad",
            "text": "👇👇👇",
            "via_bot": "postbutton_bot",
            "buttons": [{"url": "https://luckywin.bet", "text": "Play"}],
        }
    )
    rows += [{"label": "ok", "text": t} for t in ORDINARY]
    rows.append(
        {
            "label": "ok",
            "text": "官方文档",
            "links": [{"url": "https://docs.python.org/3/tutorial/", "text": "官方文档"}],
        }
    )
    rows.append(
        {
            "label": "ok",
            "text": "this PR",
            "links": [{"url": "https://github.com/org/repo/pull/7", "text": "this PR"}],
        }
    )
    rows.append({"label": "ok", "text": "", "via_bot": "gif"})
    rows.append({"label": "ok", "text": "看看这个", "forward": {"kind": "user", "username": None}})
    out = Path(__file__).with_name("round1.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"{out}: {sum(r['label'] == 'ad' for r in rows)} ads, {sum(r['label'] == 'ok' for r in rows)} ordinary"
    )


if __name__ == "__main__":
    main()
