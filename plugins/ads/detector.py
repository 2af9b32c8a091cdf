"""The ad detector: a pure, synchronous function of a message and the group's policy.

``detect(sample, policy)`` normalises the text (``normalize``), reads the signals a spammer
cannot leave out (a way to reach them: a link, an invite, a username, a phone number, a
WeChat/QQ/Telegram id, a URL button, an inline bot, a channel forward) and the words of the
trades that advertise (gambling, crypto, loans, side jobs, adult; the lists are in
``plugins.ads.lexicon``) and how much the whole reads like a pitch (``plugins.ads.pitch``),
weighs them and returns a :class:`Verdict` with reasons a human can read. A message that names
no way to reach anyone is never an ad, whatever its words, unless an admin's keyword matches.
Every pattern is RE2 (linear time; a few plain character classes use the standard library's
engine, linear too); admins' keyword patterns are RE2, so a hostile pattern cannot hang the bot.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import re2

from bot import MessageLink, simplified
from plugins.ads.lexicon import (
    BRANDS,
    CATEGORIES,
    COUNTRY_SECOND_LEVELS,
    COUNTRY_TLDS,
    DEFAULT_BOTS,
    DEFAULT_DOMAINS,
    OFFICIAL_ACCOUNTS,
    PHISHED,
    PUBLIC_SECOND_LEVELS,
    PUBLIC_TLDS,
    SHORTENERS,
    SUSPICIOUS_TLDS,
    TLDS,
)
from plugins.ads.normalize import Normalized, Pattern, compact_of, fold_confusables, normalize
from plugins.ads.pitch import logit as pitch_logit

__all__ = [
    "MENTIONS_WEIGHED", "NEW_MEMBER_WEIGHT", "THRESHOLD", "Policy", "Reason", "Sample", "Verdict",
    "compile_keyword", "detect", "weighed_names",
]

THRESHOLD = 1.0
# What a new member's message with a way to reach someone (Policy.strict) has added. Nothing
# else changes for them, so a verdict this far below the threshold stands for a newcomer too.
NEW_MEMBER_WEIGHT = 0.4
# The @names of one message weighed (a message naming fifty is judged by its first ten).
MENTIONS_WEIGHED = 10
# The pitch model's log-odds L weighs PITCH_WEIGHT * (L - PITCH_EVEN): nothing until the model
# leans to an ad, never a weight against (a way to reach someone stands whatever the words),
# at most PITCH_CAP with a concrete way to reach the sender and PITCH_CAP_UNREACHABLE without
# (words alone make no ad); from PITCH_WORDS it counts as a trade's words.
PITCH_WEIGHT, PITCH_EVEN, PITCH_WORDS = 0.2, 0.0, 1.0
PITCH_CAP, PITCH_CAP_UNREACHABLE = 0.9, 0.4
# Below READS_ORDINARY the models are sure the words are a member's: a number, a price and a
# provider's name (the neighbour's "Kev does our road, £12, 07700 900351") make no ad on their own.
READS_ORDINARY = -20.0
# From PITCH_STRONG the model is sure: "DM me" or a whitelisted link is reach enough.
PITCH_STRONG = 6.0
# From PITCH_SURE a private way to reach the sender ("DM me", "看我头像", "LINE 搜") with the pitch is
# an ad: the pitch weighs as with a concrete one.
PITCH_SURE = 3.0
# From PITCH_ALONE the pitch is the whole ad ("影视会员批发 一个月3元 量大从优", "Get verified, blue
# badge in 7 days"): whoever wants it asks the sender. Both chosen set by set, each set measured
# on a model trained without it: in round 14 (22 sets) from 7 and 5 to 6 and 4; in round 16 (26
# sets, members' sublets and sales among them) from 6 and 4 to 5.5 and 3.5, misses 204 -> 170 of
# 6,720 ads for 56 -> 65 of 15,944 ordinary messages flagged; in round 17 (28 sets) to 5 and 3.5,
# misses 194 -> 178 of 7,283 for 136 -> 138 of 17,292 flagged; in round 18 (30 sets) to 4.5 and 3,
# misses 237 -> 204 of 7,863 for 155 -> 178 of 18,654 flagged (3.01 % + 0.83 % -> 2.59 % + 0.95 %);
# kept in round 19 (32 sets: 221 of 8,444 missed, 201 of 20,020 flagged; 5 and 3.5 leave 260 and 179).
PITCH_ALONE = 4.5
# Below this a warning names its spammer (a link, an account) and is still a warning.
WARNING_PITCH = 2.5
# A forwarded channel post pitches from here (news forwards measured up to 2.3).
FORWARD_PITCH = 3.0
# From here the sender's own words are a pitch the model is sure of, and their talk of scams and
# spam is part of it ("我以前也觉得是骗子，直到我自己提现了", "not gonna spam, DM me"): no warning.
# Chosen leaving each of the sixteen newest sets out in turn (round 30): 20 to 40 miss 418 of
# 4,651 ads where no limit missed 424, for the same 290 of 10,964 ordinary messages flagged.
WARNING_OVERRULED = 30.0

# A server's invite alone is a member answering "what's the server?" as often as a raid: like a
# t.me link (0.9), it takes one more sign (a call to join, a pitch, a disguise) to be an ad.
DISCORD_INVITE_WEIGHT = 0.9

_OPTIONS = re2.Options()
_OPTIONS.max_mem = 8 << 20


def _re(pattern: str) -> Pattern:
    return Pattern(pattern)


def compile_keyword(pattern: str) -> re2._Regexp:
    """An admin's keyword pattern (RE2 syntax, matched on the normalised text, its Chinese
    simplified as the text's is: "詐騙" finds "詐騙" and "诈骗"); raises ValueError naming the problem."""
    try:
        return re2.compile(simplified(pattern), options=_OPTIONS)
    except re2.error as exc:
        raise ValueError(f"not a valid RE2 pattern: {pattern!r} ({exc})") from None


@dataclass(frozen=True, slots=True)
class Sample:
    """What the detector reads of a message (built from ``bot.events.Message``)."""

    text: str = ""
    links: tuple[MessageLink, ...] = ()
    usernames: tuple[str, ...] = ()
    buttons: tuple[MessageLink, ...] = ()
    via_bot: str | None = None
    # (kind, username) of the forward origin: kind user/hidden_user/chat/channel.
    forward_kind: str | None = None
    forward_username: str | None = None
    media: str | None = None
    # The text of the message this one replies to: a provider's number given in answer to "anyone
    # know a plumber?" is a member's answer.
    answers: str = ""

    @property
    def shown(self) -> str:
        """The text with the words on its buttons, read as one ("🎰 Spin & Win 1000 USDT")."""
        if not self.buttons:
            return self.text
        return "\n".join([self.text, *(b.text for b in self.buttons)])

    @classmethod
    def from_row(cls, row: dict) -> Sample:
        """A corpus row: ``{"text", "links": [{"url", "text"}], "usernames", "buttons",
        "via_bot", "forward": {"kind", "username"}, "answers"}``."""
        forward = row.get("forward") or {}
        return cls(
            text=row.get("text", ""),
            links=tuple(MessageLink(x["url"], x.get("text", "")) for x in row.get("links", ())),
            usernames=tuple(row.get("usernames", ())),
            buttons=tuple(MessageLink(x["url"], x.get("text", "")) for x in row.get("buttons", ())),
            via_bot=row.get("via_bot"),
            forward_kind=forward.get("kind"),
            forward_username=forward.get("username"),
            answers=row.get("answers", ""),
        )


_HAN_IN_HOST = _re(r"([a-z0-9][a-z0-9.\-]*)[\x{4E00}-\x{9FFF}]{1,8}([a-z0-9.\-]*[a-z0-9])")
# A shortened link, found by its host whatever its top-level domain ("is.gd", "s.id").
_SHORT_LINK = _re(
    r"(?:^|[^a-z0-9.\-])(" + "|".join(re2.escape(h) for h in sorted(SHORTENERS)) + r")/[a-z0-9_\-]"
)
# (A host may end a sentence: "claim it at free-prize-claim.top. Hurry" names the host.)
_DOMAIN = _re(
    r"(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + TLDS + r"))"
    r"(?:[/?#:][^\s<>\x{3000}-\x{9FFF}]*)?(?:[^a-z0-9.\-]|\.(?:\s|$)|$)"
)
_URL_IN_TEXT = _re(r"https?://[^\s<>\"\x{3000}-\x{9FFF}]+")
# An invitation into a chat: Telegram's, and the group links of WhatsApp, LINE, KakaoTalk and QQ.
_INVITE = _re(
    r"(?:t\.me|telegram\.(?:me|dog)|tg://join)(?:/|\?invite=)(?:\+|joinchat/?)[a-z0-9_\-]{2,}"
    r"|tg://join\?invite=[a-z0-9_\-]{4,}|chat\.whatsapp\.com/[a-z0-9]{6,}|line\.me/(?:ti/g2?|"
    r"r/ti/g)/[a-z0-9_\-]{4,}"
    r"|open\.kakao\.com/o/[a-z0-9]{4,}|qm\.qq\.com/[a-z0-9/?=_\-]{4,}"
)
_TME = _re(r"(?:t\.me|telegram\.(?:me|dog))/([a-z][a-z0-9_]{3,31})\b")
_DISCORD_INVITE = _re(r"(?:discord\.gg|discord(?:app)?\.com/invite|dsc\.gg)/[a-z0-9\-]{2,}")
# An invite's code written as a placeholder ("discord.gg/xxx" in a warning): no server's.
_PLACEHOLDER_INVITE = _re(r"/x+$")
# Not after "/": a channel in a site's path (youtube.com/@name) is a page of that site.
# (Discord's names may hold dots: "@mira.lanternfish" is one name.)
_USERNAME = _re(r"(?:^|[^a-z0-9_.@/])@([a-z][a-z0-9_]{3,31}(?:\.[a-z0-9_]+)*)\b")
_MOBILE_CN = _re(r"(?:^|[^0-9])(?:\+?86[ \-]?)?(1[3-9][0-9](?:[ \-]?[0-9]){8})(?:[^0-9]|$)")
_PHONE_INTL = _re(
    r"(?:^|[^0-9a-z])(\+[1-9][0-9]{0,2}[ \-]?\(?[0-9]{1,4}\)?[ \-]?(?:[0-9][ \-]?){5,11}[0-9])(?:[^0-9]|$)"
)
# A North American number written without its +1: (415) 555-0132, 415-555-0132.
_PHONE_NANP = _re(r"(?:^|[^0-9a-z+])(\(?[2-9][0-9]{2}\)?[ \-.][2-9][0-9]{2}[ \-.][0-9]{4})(?:[^0-9]|$)")
# A national number with its trunk 0, as Britain, Malaysia and most of Europe write it:
# 07700 900 812, 012-778 5431.
_PHONE_NATIONAL = _re(r"(?:^|[^0-9a-z+])(0[1-9][0-9]{0,4}[ \-][0-9]{3,4}[ \-]?[0-9]{3,4})(?:[^0-9]|$)")
# The number China Mobile's manuals, tutorials and test data use for "a phone number": nobody's.
_PLACEHOLDER_NUMBER = "13800138000"
# A string in code: an argument, an assignment, a JSON value ('parse("+14085550199", "US")').
_CODE_STRING_OPENS = _re(r"(?:[(=,\[]|[\"']:)\s*[\"']\+?$")


def _in_code(text: str, start: int, end: int) -> bool:
    closed = text[end : end + 1] in ('"', "'")
    return closed and _CODE_STRING_OPENS.search(text[max(0, start - 6) : start]) is not None


_PHONES = ((_MOBILE_CN, 0.7), (_PHONE_INTL, 0.6), (_PHONE_NANP, 0.5), (_PHONE_NATIONAL, 0.5))
# An e-mail address, "@" set apart or written out: name@host.com, name ＠ host.com, name[at]host.com.
_EMAIL = _re(
    r"(?:^|[^a-z0-9._%+\-])([a-z0-9][a-z0-9._%+\-]{1,40})\s*(?:@|\[at\]|\(at\)|#)\s*"
    r"([a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,10})\b"
)
_SOCIAL_NETWORKS = frozenset({"instagram", "insta", "ig", "tiktok", "twitter", "facebook", "fb", "threads"})
_EXAMPLE_DOMAINS = frozenset({"example.com", "example.org", "example.net", "example.edu", "localhost"})
_ROLE_MAILBOX = frozenset(
    {"support", "help", "service", "noreply", "no-reply", "admin", "contact", "info", "feedback",
     "privacy", "security", "abuse", "hr", "jobs", "careers", "press", "sales", "billing", "hello",
     "talent", "recruiting", "recruitment", "hiring", "apply", "vagas", "rh", "emploi", "events",
     "office", "casting", "contato", "bookings", "booking", "enquiries", "inquiries"}
)
_FREE_MAIL = frozenset(
    {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com",
     "proton.me", "protonmail.com", "qq.com", "163.com", "126.com", "mail.ru", "yandex.ru", "gmx.de",
     "gmx.net", "web.de", "aol.com", "zoho.com", "naver.com", "yahoo.co.jp"}
)
# A code to sign up with or a shop's pass phrase: "邀请码 QX8812", "use code SAVE20", "¥AbCd123¥".
_REFERRAL = _re(
    r"(?:邀请码|推荐码|注册码|优惠码|口令|invite code|invitation code|referral code|ref code|promo code|"
    r"(?:use|with|enter) (?:my |the )?(?:invite |referral |promo )?code|"
    # Vietnamese, its marks gone as the text reads normalised: "mã mời của em là 88VN21".
    r"ma (?:moi|gioi thieu)(?: cua (?:em|minh|toi|anh|chi|ban))?)"
    r"(?:\s*(?:是|为|la|is))?\s*[:：]?\s*([a-z0-9]{4,14})(?:$|[^a-z0-9])"
    r"|[¥$€]([a-z0-9]{6,14})[¥$€]"
)
# Pointing at the sender's profile for the way to reach them: "link in bio", "看我主页".
_PROFILE = _re(
    r"(links? in (?:my )?(?:ig |insta |tiktok )?bio|"
    r"(?:links?|prices?|details?|info|e-?mail|contacts?|numbers?|whatsapp|(?:web)?site|shop|store) "
    r"(?:is |are )?in (?:my )?"
    r"(?:ig |insta |tiktok )?(?:bio|profile)|check (?:out )?my (?:bio|profile)|"
    r"(?:links?|groups?|charts?|details|contacts?|info|prices?|wallet|address|number)[^.\n]{0,12}"
    r"(?:on|in) my (?:bio|profile)|"
    r"看我的?(?:个人)?(?:简介|主页|资料)|见主页|看简介|简介里|头像有|看头像)"
)
# Looser pointers at the sender's profile (its picture, name, status, pinned post): a way to
# reach them only with a pitch the model is sure of ("my friend code is on my profile" is not).
_PROFILE_HINT = _re(
    r"((?:look|check|see|tap|scan|click|visit|open|find|view|read)(?: it)?(?: at| on| in)? my "
    r"(?:bio|profile|pfp|avatar|about me|story|stories|status|display name|name|pinned|page)\b|"
    r"(?:in|on|from|at) my (?:bio|pfp|avatar|about me|profile|story|stories|display name)\b|"
    r"(?:bio|profile|pfp) has (?:the|my) (?:link|number|contact|id)|"
    r"(?:link|nombor|number|no|wa|wasap|whatsapp|line|website|ca)\s+(?:na|dalam|di|en|no) "
    r"(?:mi |meu |saya )?(?:bio|perfil|profil|profile)|(?:en|na) (?:mi |meu )?(?:bio|perfil)\b|"
    r"(?:看|点|扫|戳|睇|见|查看)(?:一下)?我的?(?:头像|主页|签名|简介|资料|动态|名字?|昵称|朋友圈|置顶|相册)|"
    r"(?:头像|签名|主页|简介|昵称|个签)(?:里|上|有|见)|在我的?(?:签名|头像|主页|简介|动态|昵称|名字)|"
    r"(?:号码?|微信|联系方式|id|line|账号|帐号)在(?:我的?)?(?:个人)?(?:名字|昵称|头像|签名|简介|档案|资料)|"
    r"(?:我的?)?个人档案|아이디는? 프로필|프로필에|"
    r"(?:放|写|挂|留)在(?:我的?)?(?:个人)?(?:简介|主页|签名|头像|资料)|大头贴有|头贴有|"
    r"(?:^|[^a-z])(?:in|on) (?:my |the )?bio\b|nasa (?:profile|pfp|bio)|アイコン|프사|"
    r"(?:看|见|查看)(?:一下)?(?:签名|个签|个性签名)|"
    r"(?:on|in) my (?:page|channel)\b|same (?:user ?name|name|handle|id) as (?:here|this)|"
    r"(?:im|in meinem|auf meinem) profil\b|(?:na|no|sa) (?:meu |ko )?(?:bio|perfil)\b|sa bio ko|"
    r"link (?:di |in |na |no |sa )?bio\b|(?:in|on|from|at) my (?:banner|status|prof|server)\b|"
    r"check my prof\b|(?:see|check|look at) (?:the |my )?pfp\b|kontakt (?:über|uber) (?:mein )?profil|"
    r"siehe (?:mein )?profil|(?:tengok|lihat) (?:profile|profil)|cek (?:profil|bio|pp|avatar)\b|"
    r"(?:link|wa|nombor|no|gambar)[^.\n]{0,8}(?:di|dalam|kat) (?:avatar|pp|profile|profil|bio)\b|"
    r"biyografi(?:mde|mdeki|de)|(?:הלינק|לינק|קישור) בביו|(?:في |ب)البايو|(?:kontakt|link|numer) w bio\b|"
    r"(?:user ?name|name|id) is my display name|"
    r"в (?:профиле|био|описании|шапке)|(?:в|у|y) (?:біо|6io|профілі|описі)|👉 ?профиль|プロフ|โปรไฟล์|프로필|"
    r"看图片?[^,，。\n]{0,8}(?:号|小字|联系方式|二维码)|图(?:片)?上(?:那个|的)?号|图片?(?:底部|最后一行|下方)|"
    r"プロフィール|profil(?:im|ime|imde|imdeki|deki|de|e) |profil(?:imde|de)\b|bio'?(?:da|daki|mda)\b|"
    r"profil aciklamasinda|(?:في|على) (?:البروفايل|حسابي)|اضغط على اسمي|"
    r"(?:visita|mira|en) mi perfil|mi estado de whatsapp|profilku\b|в описании профиля|в шапке профиля)"
)
_HELP_YOURSELF = _re(r"自取|自提|自领|自行领取|自己拿|自己领|helpyourself|grabit|free(?:bies|stuff)")
_DIGIT = re.compile(r"[0-9]")
_NUMBER_GOES_ON = re.compile(r"[ \-][0-9]{3}")
_DIGITS_ONLY = re.compile(r"[^0-9]")
_CODE_SPAN = re.compile(r"```.*?(?:```|$)|`[^`\n]+`", re.S)
_LATIN_LETTER = re.compile(r"[a-z]")
_OTHER_SCRIPT = re.compile(r"[\u0400-\u04FF\u0590-\u05FF\u0600-\u06FF\u0900-\u09FF\u0E00-\u0E7F]")
_PROFILE_WORDS = (
    "bio", "profil", "pfp", "avatar", "about me", "story", "stories", "status", "name", "pinned",
    "page", "channel", "banner", "prof", "perfil", "профил", "био", "описани", "шапке", "プロフ", "6io",
    "профіл", "описі", "ביו",
    "โปรไฟล์", "图", "简介", "主页", "资料", "头像", "签名", "动态", "名", "昵称", "朋友圈", "置顶", "相册",
    "プロフィール", "프로필", "档案", "biyograf", "البايو", "cek pp", "アイコン", "프사",
)
_PHONE_CALL = _re(
    r"(联系|电话|热线|咨询|致电|打给|call|text|whatsapp|signal|viber|phone|tel|anruf|ruf an|appel|"
    r"appelez|chiama|llama|llámame)"
)
# "Don't call it": a number not to ring.
_DONT_CALL = _re(r"(don'?t call|do not call|别打|不要打|勿打|唔好打)")
_ORDER_WORDS = (
    r"订单|单号|工单|快递|运单|编号|工号|学号|账单|发票号|流水|尾号|order|tracking|invoice|ticket|"
    r"issue|ref|serial|build|version|版本|commit|pr\b|err|error|code|报错"
)
_NUMBER_CONTEXT = _re(r"(" + _ORDER_WORDS + r"|#|id[:：\s])")
# Offices whose numbers a group passes on (the property manager, a class teacher, the police):
# numbers to call, no one selling. (Not hospitals or schools: private ones advertise so.)
_INSTITUTION = _re(
    r"(物业|居委会|班主任|教练|前台|保安|门卫|派出所|幼儿园|业委会|管理处|警察|消防|领馆|领事馆|大使馆|使馆|"
    r"教会|教堂|寺庙|居委|街道办|社区办公室|"
    r"property management|building management|school office|police|embassy|consulate|church office|"
    r"parish office|poison control|emergency (?:number|line|hotline)|helpline|crisis line|animal control|"
    r"city hall|town hall|council office)"
)
# A price written with its currency, which reads like an id: "RM1800", "NT1200", "usd50".
_AMOUNT = re.compile(
    r"(?:rm|myr|usd|us|hkd|hk|nt|ntd|twd|sgd|aud|cad|rmb|cny|eur|gbp|jpy|krw|thb|php|idr|vnd)"
    r"\$?[0-9][0-9,.]*[kw]?$"
)
# The same without "id" and "#": after a messenger's name, "ID: x" is the account.
_ORDER_CONTEXT = _re(r"(" + _ORDER_WORDS + r")")
# A name before "#1234" that is an order word itself ("issue#1234"), not one holding it ("codehelp").
_ORDER_NAME = _re(r"^(?:" + _ORDER_WORDS + r")s?$")
# WeChat as spammers write it: 微信, 薇信, 威芯, 薇星, V信 (a character that sounds like it), 绿泡泡.
_WECHAT = r"(?:[微薇威维徽卫] ?(?:信|芯|星|新|心|鑫|xin)|(?:v|wei) ?[信芯]|绿泡泡|绿色泡泡|小绿泡)"
# A way to reach someone privately, in its written-out forms (Latin, pinyin, Chinese).
_CONTACT_LATIN = _re(
    r"(?:^|[^a-z0-9])(wei ?xin|wechat|we chat|weixing|wx|vx|v ?x|v\.x|vchat|qq|q q|kou ?kou|"
    r"tele ?gram|telegram|tg|whats ?app|whatsapp|wa\.me|line ?id|kakao(?:talk)?|skype|signal|"
    r"viber|snapchat|snap|insta|ig|wh?a+ts? ?s?ap|wass?ap|whats?ap+|wsapp?|zalo|jabber|wickr|"
    r"카톡|카카오톡|카카오|텔레그램|텔레|위챗|왓츠앱|ライン|テレグラム|zap|zapzap|wsp|wpp|w/s|"
    r"тг|телеграм|телега|вотсап|ватсап|ไลน์|\+ ?v|\+q|오픈채팅|오픈톡|텔그램|인스타|"
    r"line(?:追加|で|グループ|友達)|واتساب|واتس|تلغرام|تيليجرام|تلگرام|व्हाट्सएप|"
    r"टेलीग्राम)(?:$|[^a-z0-9])"
)
# A storm warning's signal and its number ("typhoon signal 8"): no Signal account.
_WARNING_SIGNAL = _re(r"signal (?:no\.? ?|number |#)?[0-9]")
# A contact word, then an id. Groups: 1 a Latin word (a whole word, so "hotline" or
# "eigenvalue" hold none), 2 a Latin word that is also an ordinary English word, 3 a Chinese
# one, 4 what separates it from the id (":", "=", a dash, an arrow, "号", "id", "@"), 5 the id.
_CONTACT_ID = _re(
    r"(?:(?:^|[^a-z0-9])(?:(wei ?xin|wechat|weixing|w ?x|v ?x|vchat|q ?q|kou ?kou|tele ?gram|tg|"
    r"whats ?app|kakao|skype|viber|snapchat|insta(?:gram)?|kik|wickr|threema|t ?g)"
    r"|(line|signal|snap|ig|ins)\b)"
    # "加薇", "➕威": WeChat's first character alone after "add".
    r"|(" + _WECHAT + r"|加 ?v|\+v|(?:加|\+) ?[微薇威维]|扣扣|企鹅|飞机|纸飞机|电报|联系方式|联系我|"
    r"私聊|群号|加赖|赖|"
    r"카톡|카카오톡|텔레그램|ライン|ไลน์|แอดไลน์))"
    r"(\s*(?:群号|号码|账号|号|id|搜索?)?\s*[:：=\-—–~>→]?\s*@?)"
    r"([a-z][a-z0-9_\-]{4,24}|[0-9]{5,12})(?:$|[^a-z0-9_])"
)
# Words that warn about scams or forbid ads: with no way to reach anyone, not an ad.
_WARNING = _re(
    r"(骗子|骗局|诈骗|被骗|防骗|别信|不要信|别相信|不要相信|小心|当心|谨防|举报|拉黑|严禁|禁止|不准|"
    r"不得|一律|踢出|别回复|不要回复|千万别|千万不要|广告|spam|spammers?|never share|no legit|"
    r"will never ask|don'?t share|do not share|ignore (?:them|it|these)|watch out|be careful|"
    r"scam|scammer|fraud|beware|don'?t trust|do not trust|don'?t click|do not click|don'?t call|"
    r"do not call|report (?:them|it)|pl(?:ea)?se? ban|ban (?:him|her|them|this)|is a (?:bot|scammer|spammer)|"
    r"踢了|已踢|别加|不要加|陌生人|fake (?:recruiters?|support|accounts?|jobs?|giveaways?)|impersonat|"
    r"(?:is|are) not us\b|(?:isn|aren)'?t us\b|not affiliated with us|"
    r"block (?:them|him|her)|reported|banned|removed (?:it|them|him|her)|别点|不用理|别理|"
    r"截图给(?:管理|群主|admin)|"
    r"注意一下|差点信|差啲信|踢佢|踢他|钓鱼(?:网站|链接|网址|短信|邮件|诈骗)|phishing|都是引流|都是骗|是假的|冒充|"
    r"不会私聊|不会私信|不会主动(?:联系|私)|别上当|不要上当|警惕|詐欺|詐欺です|warning:|heads up|"
    r"差点就?(?:加|信|上当|点)|唔好理|不要理|"
    r"(?:was|were|are|is) (?:a |all |just )?(?:bots?|scams?|scammers?|spam(?:mers?)?|fake)\b|"
    r"'s (?:a )?(?:fake|scam|bot)\b|nice try|so (?:nobody|no one) else|got (?:drained|hacked|scammed)|"
    r"lost (?:[$¥€£]?[0-9][0-9,.]*k? |money |everything |it all )(?:to|on|in)|"
    r"(?:is|was) (?:this|that|it) (?:legit|real|a scam|safe)\b|legit ba\b|"
    r"jangan (?:klik|tekan|bayar|dibuka|buka|diinstal|install)|"
    r"ne vous contactera (?:jamais|pas)|will never (?:dm|contact|message) you|jamais en prive|"
    r"just reporting (?:it|this|them)|(?:i'?ve|i have|we'?ve|we have) (?:deleted|removed) it|(?:is|"
    r"are) going around|es (?:un )?timo|que no piqueis|es fiable|"
    r"suena (?:muy )?raro|e confiavel|c'?est fiable|"
    r"(?:pouvez|peux|pouvez-vous) (?:le|la|les) (?:virer|bannir|kick)|virez[- ]le|seront supprime|"
    r"bannie? direct|(?:^|[^a-z])burla\b|"
    # A moderator's rule and its sanction: "no signal groups, no 'guaranteed returns'. Instant ban".
    r"instant ban|immediate ban|ban on sight|perma ?ban|permanent(?:ly)? ban|"
    r"la lua dao|bao cao va chan|大家注意|大家别碰|一看就是(?:骗|黑)|"
    r"кинул[аи]? в спам|в спам (?:кинул|отправил)|"
    r"осторожно|ведитесь|(?:не|he) отвечаите|мошенни|развод\b|будьте уважні|шахра|вербовк|"
    # "— скам", "скамеры", "Skam!": the slang of Russian and Central Asian chats for a scam; "be
    # careful" and "a fraudster" in Uzbek and Kazakh, "fraudster" in Turkish.
    r"(?:^|[^a-zа-я])скам(?:ер|ят|нул|[^а-я]|$)|(?:^|[^a-z])skam(?:mer|er)?(?:[!.]|$)|ehtiyot bo|"
    r"firibgar|алаяқ|алаяк|dolandirici(?:lar)?(?:[^a-z]|$)|"
    r"cuidado|es (?:verso|estafa|falso|mentira)|estafa|(?:um |o )?golpe\b|nao caiam|fraude|"
    r"ada (?:yg|yang) dapat (?:mesej|pesan)|almost (?:paid|clicked|fell)|(?:looks?|so|very|bit|kinda) "
    r"(?:sketchy|suspicious|weird)|parang sketchy|ไม่ต้องกด|อย่ากด|น่าสงสัย|是套路|感觉是骗|大家都收到了吗|"
    r"是真的吗|是不是真的|是不是假的|系咪假|系咪真|收过呢个|"
    r"if (?:it'?s|this is|that'?s) (?:legit|real|a scam)|sanity check|(?:anyone|has anyone|did anyone) "
    r"(?:else )?(?:get|got|gotten|receive|received) (?:this|the same|one like)|was this a scam|"
    r"careful with this|fell for|falls? for (?:it|this|that|these|them)|got this in my dms?\b|"
    r"(?:do not|don'?t) (?:go|log ?in) there|"
    r"obviously (?:fake|a scam)|clearly (?:fake|a scam)|no entren|no hagan clic|no caigan|ojo con|"
    r"(?:mods?|admins?) (?:pls|please) (?:nuke|remove|delete|kick|ban)|someone'?s dm'?ing (?:members|people)|"
    r"(?:does|do) not send|doesn'?t send|never (?:sends|asks)|"
    r"有人收到(?:这个|这种|过)|有没有人收到|是不是(?:骗|我们银行)|明显是(?:骗|盗号)|"
    r"penipuan (?:bukan|ya|nih)|ini penipuan|co phai lua dao|lua dao khong|조심|詐欺かな|怪しい|"
    r"(?:not|never|won'?t|didn'?t) (?:clicking|click(?:ed)?)\b|fake,? right\b|фишинг|"
    r"[.,!] ?blocked[.!]*$|(?:^|[^a-z])blocked (?:them|him|her|it|and reported)|reported and blocked|drainer|"
    # Elders told of the trick, a shill seen through: "大家提醒一下家里老人", "吓得我以为是托".
    r"提醒(?:一下)?(?:家里|家中|身边)?的?(?:老人|长辈|父母|爸妈|家人)|(?:以为|肯定|都|一看就)是托|"
    # An account reported that writes to members and is none: "不是我们科的人，管理员看下",
    # "唔係群組成員，已通知管理員", "not a member of this group, did anyone else get it?".
    r"不是(?:我们|本|这个)?(?:群|科|班|小区|公司|学校|系)(?:里|里面)?的?(?:人|成员|群友)|唔系群组成员|"
    r"非群成员|管理员?(?:看下|看一下|处理一下|处理下|注意一下)|(?:通知|告诉|报告)了?管理|"
    r"私[信讯聊](?:了)?(?:好多|很多|不少|一堆)(?:人|群友|成员)|一直在群里私|"
    r"not (?:a )?member (?:of|in) (?:this|the|our) (?:group|server|chat|club)|"
    r"(?:anyone|has anyone|did anyone) (?:else )?(?:get|got|gotten|receive|received) (?:it|one|them)\b|"
    r"不要点|别点开|被删了|已经?封锁|(?:麻烦|请|帮忙)踢|踢掉|"
    r"(?:is|keeps|been|are|keep) (?:advertising|spamming)\b|"
    # A spammer reported and the moderation bot's own report: "забаньте", "спамер", "Diqqat!",
    # "[AutoMod] Message blocked"; "be careful", "don't click it", "blocked at once" in Japanese.
    r"забан|спамер|(?:^|[^a-z])diqqat\b|automod|気をつけ|踏まないで|即ブロック|"
    # "Admins abeg remove @x", "Admin amtoe tafadhali", "cuenta falsa … NO es nuestra, reporten".
    r"(?:admins?|mods?) abeg remove|amtoe|cuenta falsa|no es nuestra|reporten\b|nobody (?:for|in) "
    r"(?:this )?(?:group|class) know)"
)
# A lost pet or wallet, a post of the group's own channel: a notice, whatever number it gives.
_NOTICE = _re(
    r"(寻狗启事|寻猫启事|寻人启事|失物招领|走丢|走失|(?:狗|猫|宠物|钱包|手机|钥匙|证件)(?:狗)?(?:丢了|不见了)|捡到(?:一个|一只|了)|"
    r"(?:丢了|遗失了?|丢失了?)(?:一[个只部张串])?[^，。,.!?]{0,6}(?:钱包|手机|钥匙|证件|身份证|护照|包|狗|猫)|"
    r"(?:^|[^a-z])(?:lost|missing|found) (?:(?:a|my|our|this|black|brown|white|grey|small|big|little) ){0,3}"
    r"(?:dog|cat|pet|puppy|kitten|wallet|purse|keys?|phone)\b|(?:anjing|kucing|dompet) (?:saya )?hilang|"
    r"我们群的频道|群频道|本群(?:的)?频道|channel rasmi kelab|"
    r"(?:our|the) (?:group|club|community)'?s? (?:own |official )?(?:channel|ig|instagram|page)|"
    # The group's own rules and notices pointed at ("群规在资料卡里", "read the pinned rules"): where
    # they are is the group's card, not a sender's profile.
    r"(?:群规|群公告|入群须知|新人须知)(?:都|就)?(?:在|见)(?:群)?(?:资料卡|资料|公告|置顶)|"
    r"(?:group|server|chat) rules are (?:in|pinned))"
)
# The group's own collection, paid to its treasurer or organiser ("E-transfer to me (Sarah)",
# "총무 계좌로 입금", "GCash to our treasurer", "DuitNow to me (organiser").
_COLLECTION = _re(
    r"((?:e-?transfer|interac|venmo|paypal|gcash|paynow|duitnow|bizum|swish|tikkie|mb ?way|转数快|payme) "
    r"(?:to|a|al|till|naar|para) (?:me|our treasurer|the treasurer|mig|mi)\b|총무 ?(?:계좌|김|이|박)|"
    r"(?:our|the club'?s?|the group'?s?) treasurer|(?:交给|转给|付给)(?:群主|会长|班长|总务|财务)|"
    r"付款给财务|(?:de|del|da|do) (?:la |el |a |o )?(?:tesorer[oa]|tesoureir[oa]))"
)
# "I accidentally reported your account, talk to @support_x": the handle is the scammer's. (As the
# text reads normalised: marks gone, "й" an "и".)
_REPORTED_BY_MISTAKE = (
    r"accidentally reported|reported (?:you|u|your account|ur account) by (?:mistake|accident)|"
    r"report nham|lo report (?:tai khoan|acc)|te reporte por (?:error|accidente)|reporte por error|"
    r"(?:je )?t'?ai signale par erreur|signale par erreur|zglosil(?:em|am) cie|przez przypadek zglosil|"
    r"yanl[ıi]sl[ıi]kla[^.!?\n]{0,30}sikayet|случаино[^.!?\n]{0,30}жалоб|"
    r"galti se[^.!?\n]{0,30}report|بل[ّ]?غت عن حسابك"
)
# A seller vouching for their own offer: "绝对不是诈骗", "100% legit", "bukan penipuan".
_VOUCHING = (
    r"(?:^|[^是])不是(?:骗子|骗局|诈骗)|非诈骗|非骗局|绝不是骗|no scam|not a scam|100% legit|no be scam|"
    r"not scam|bukan (?:scam|penipuan)|hindi (?:po )?scam|sio (?:scam|utapeli)|pas une arnaque|"
    r"kein (?:betrug|fake|scam)|nie (?:jest )?(?:scam|oszustwo)|non (?:e )?una truffa|dolandiricilik degil"
)
_VOUCHES = _re(_VOUCHING)
# A seller's reassurance, and the recovery scam's bait ("got scammed? we get it back"): no warning.
_NOT_A_WARNING = _re(
    r"(" + _VOUCHING + r"|无广告|不是广告|不是打广告|非广告|真正靠谱|才靠谱|"
    r"追回|找回|反诈中心|got (?:it|mine|my money|everything) back|"
    # "一律$99", "一律10元": one price for everything on sale, not a rule that everything is banned.
    r"一律(?:只要|都是|均|仅)?[$¥￥]?[0-9]|"
    # The recovery scam's bait in Russian and Ukrainian, as "recover" is in English: "помогу вернуть
    # деньги, украденные мошенниками".
    r"(?:помогу|поможем|помогаем|допоможу|допоможемо) (?:вам )?(?:вернуть|повернути)|"
    # A doubter won over: "I thought it was a scam until I tried it" is the testimonial, not a warning.
    r"(?:thought|think|was sure) (?:it|this|that|they) (?:was|were|is|are) (?:a |all )?scams? (?:until|till)|"
    r"(?:was|were) (?:a |all )?scams? until|"
    r"zero spam|no spam|唔系广告|不准不要钱|不准包退|(?:don'?t|do not) (?:want|mean) to spam|"
    r"recover(?:ed|y)?\b|ethical hackers?|unban(?:ned)?|buka blokir|"
    r"(?:disculpen|perdon(?:en)?|desculpem?|sorry for|excuse|извините за|вибачте за) "
    r"(?:el |the |o |my )?spam|"
    # The rule against ads cited, then broken: "本群禁止发广告，但我还是要说", "I know no ads, but I
    # have to share".
    r"陌生人勿扰|忍不住(?:要)?推荐|但(?:是)?我?还是要(?:说|推荐|发|分享|安利)|但是我要推荐|"
    r"but i (?:still )?(?:have to|must|gotta|need to) (?:recommend|share|say|post)|"
    r"recuperamos|recuperar (?:tu|su|seu) dinero|вернем|возврат (?:денег|средств)|повернемо|"
    r"your account (?:was|has been|is) (?:reported|flagged)|you will be (?:banned|suspended)|"
    r"votre compte a ete signale|(?:il suo|il tuo) account e stato segnalato|(?:ihr|dein) konto wurde "
    r"gemeldet|vas ucet byl nahlasen|(?:twoje|pana) konto zostalo zgloszone|(?:tu|su) cuenta (?:ha sido|fue) "
    r"reportada|(?:sua|tua) conta foi denunciada|"
    r"发广告的|(?:承)?接(?:广告|推广)|一条广告|广告位|一律(?:内部价|[0-9一二三四五六七八九]折|优惠|免费|包邮|半价)|"
    # A firm whose trade is advertising names it: "做电梯广告的", "广告投放".
    r"做[^，。,]{0,10}广告的|广告(?:投放|合作)|"
    r"send (?:a )?dm to (?:our|the) (?:technical )?support)"
)
# One letter or character standing for a messenger, then a colon: "v: abc123", "微：abc_12".
_LETTER_ID = _re(
    r"(?:(?:^|[^a-z0-9])[vwq]|微|薇|威|扣|企|赖)\s*(?:[\p{So}\p{Sk}+]\s*)*(?:搜索?|号)?\s*[:：]\s*"
    r"([a-z0-9_\-]{5,24})(?:$|[^a-z0-9_])"
)
# ... or a messenger's character decorated, then the id without a colon: "薇❤ zhang_yuesao88". The
# emoji sets the character apart as a name (a member writes "微信" or "薇信"), no character before it
# (小薇, 阿威 are people); the id holds a digit, "_" or "-", as ids do and words do not.
_DECORATED_LETTER_ID = _re(
    r"(?:^|[^\p{Han}])(?:微|薇|威|扣|企)\s*(?:[\p{So}\p{Sk}]\s*)+([a-z][a-z0-9_\-]{4,23})(?:$|[^a-z0-9_])"
)
# ... or the same letter pointing at the profile, where the id is: "薇：看签名", "v: see bio".
_LETTER_POINTER = _re(
    r"(?:(?:^|[^a-z0-9])[vw]|微|薇|威|扣|企|赖)\s*(?:[\p{So}\p{Sk}+]\s*)*[:：]\s*"
    r"(?:(?:看|见|查看|睇)(?:我的?)?(?:签名|个签|头像|主页|简介|资料)|"
    r"在?(?:我的?)?(?:签名|个签|头像|主页|简介|资料卡?)(?:里|上|有)|"
    r"(?:see|check|in) (?:my )?(?:bio|profile))"
)
_CONTACT_ID_COMPACT = _re(
    r"(?:" + _WECHAT + r"|加v|加微|扣扣|企鹅|电报|飞机|纸飞机|vx|wx|qq)(?:群号|号码|账号|号)?"
    r"([a-z][a-z0-9_\-]{4,24}?[0-9]+|[0-9]{5,12})|扣([0-9]{5,12})|群号([0-9]{5,12})"
)
_CONTACT_CJK = _re(
    r"(" + _WECHAT + r"|vx号|wx号|加v|加微|加威|加薇|加q|加扣|加我|扣扣|企鹅号|"
    r"qq号|qq群|电报|飞机号|纸飞机|tg号|whatsapp|联系方式|联系我|私聊|私信我|私我|私讯$|私戳|滴滴我|戳我|"
    r"微信号|加好友|加群|进群|入群|扫码|二维码|频道|主页|看简介|看头像|见主页|加line|加赖|"
    r"[加找]小助手|[加找]助理)"
)
# A channel of the group's own server named with its "#" ("报名在#活动 频道", "去#找队友频道").
_SERVER_CHANNEL = _re(r"#[^\s#@/]{1,12}\s*频道")
# A call to write to a named account: "message @x", "ask @x how", "找 @x".
_DIRECTED = _re(
    r"(?:(?:^|[^a-z])(?:message|dm|pm|ask|contact|text|ping|add|inbox|write to|talk to|reach)"
    r"|找|联系|私聊|私信|私|加|咨询|问)\s*[:：]?\s*@([a-z][a-z0-9_]{3,31})"
)
# A messenger named, then within a few words an id that reads like one (a digit or "_" in it):
# "add me on Telegram: leo_88", "加我微信拿课程 gaozhong_math", "Skype: live:seo_king_88".
_CONTACT_NEAR = _re(
    r"(?:(?:^|[^a-z0-9])(?:wechat|weixin|telegram|t ?g|whatsapp|wa|ws|zalo|skype|discord|disc|kakao|viber|v|"
    r"insta(?:gram)?|ig|snap(?:chat)?|vx|wx|qq)\b|(?:^|[^a-z0-9])v ?\+|" + _WECHAT
    + r"|微[\s\p{So}:：]|[\p{So}]\s*信|旺旺|蓝色软件|纸飞机|飞机|电报|加?赖|加 ?line|line ?好友|\+ ?v|"
    r"加(?:小)?助手|加助理|加客服|扣扣|企鹅|v信)"
    r"[^\n@]{0,14}?@?"
    r"(live:[a-z][a-z0-9._\-]{3,30}|[a-z][a-z0-9._\-]*[0-9_][a-z0-9._\-]*|[0-9][0-9 \-]{5,15}[0-9])"
    r"(?:$|[^a-z0-9_])"
)
# A word with one digit in it: Arabizi writes sounds with digits ("ma3ah", "mesta3mal"), Malay and
# Indonesian a word said twice with a 2 ("teman2"). An id holds more digits, or a "_" or a dot.
_ONE_DIGIT_WORD = re.compile(r"[a-z]*[0-9][a-z]*")
# Where a messenger's id is to be found instead of written: under the same name as here
# ("微信同名", "tele, same name", "ig sama kayak nama")...
_SAME_NAME = _re(
    r"(same (?:user ?name|name|handle|user|id|nick)|同名|看名字|看名称|名字就是|看昵称|昵称就是|"
    r"找我名字|搜我名字|在(?:我的?)?(?:个签|签名|个性签名|资料卡|简介)|"
    r"mismo (?:nombre|usuario|nick)|sama (?:kayak |dengan |dgn |kaya )?nama|nama (?:yang )?sama|"
    r"(?:ник|имя|логин)[^.\n]{0,12}такой же|такой же ник|тот же ник|cung ten|ten minh tren)"
)
# ... or on a picture: "号码在图上", "номер на фото", "nomor WA ada di foto", "số zalo ở ảnh đại diện".
_ON_PICTURE = _re(
    r"((?:号码?|电话|wx|vx|微信|id|number|numero|nomor|номер|so|zalo|wa|line)[^.\n,，。]{0,10}?"
    r"(?:(?:在|喺)(?:我的?)?(?:图片?|相片?|照片|头像)(?:里|入面|上)?|图片?(?:里|上)|相入面|"
    r"(?:is |are |'s )?(?:in|on) (?:the |my )?(?:photo|pic|picture|image|pfp)\b|"
    r"(?:esta |está )?en la foto|(?:ada )?di foto|na foto|на (?:фото|картинке|аве)|o anh|trong anh))"
)
# Telling the reader to join the pieces before it into one ("连起来就是", "띄어쓰기 없이", "no spaces"):
# the pieces are an id written apart.
_JOIN_HINT = _re(
    r"(连起来|连在一起|合起来|拼起来|拼在一起|去掉空格|去空格|不要空格|不带空格|没有空格|无空格|空格去掉|"
    r"no spaces?|without (?:the )?spaces?|remove (?:the )?spaces?|join (?:them|it|together)|"
    r"put (?:it|them) together|all one word|띄어쓰기 ?(?:없이|빼고|제외)|붙여서|スペースなし|"
    r"sin espacios?|tanpa spasi|không (?:có )?dấu cách|bỏ dấu cách|без пробелов)"
)
# Telling the reader to read it backwards ("倒着念：2204xv", "read it right: gg.sesac-eerf").
_REVERSE_HINT = _re(
    r"(倒着念|倒着读|倒着看|反着读|反着念|反写|反着写|倒着写|倒写|倒过来(?:读|念|看|输入|写|打)|从右往左|"
    r"反过来(?:读|念|看|输入|写|打)|倒着(?:输入|打|搜|拼)|뒤집어서|거꾸로|逆から|"
    r"read (?:it )?backwards|read it right|"
    r"read (?:it )?(?:from right|in reverse)|al rev[eé]s|de tr[aá]s pra frente|наоборот)"
)
# A token that reads as an id or a host the right way round (letters with digits, "_" or ".").
_TURNED_TOKEN = _re(r"([a-z0-9][a-z0-9_.\-]{3,30}[a-z0-9])")
# The pieces right before such a hint: short runs of letters, digits and "_" set apart; an id
# only with a digit or "_" among them ("match foo bar without spaces" is about a regex).
_PIECES_BEFORE = _re(r"((?:[a-z0-9_]{1,10}[ \t\n]+)+[a-z0-9_]{1,10})[ \t\n]*[(（\[【,，:：\-]*[ \t]*$")
# An id given in halves: "前半段 jp_ 后半段 dxzz", "first half abc_ second half 123".
_HALVES = _re(
    r"(?:前半(?:段|部分)?|前面|first half|first part)\s*(?:是|[:：])?\s*([a-z0-9_]{2,12})[^a-z0-9_]{1,8}"
    r"(?:后半(?:段|部分)?|后面|second half|second part)\s*(?:是|[:：])?\s*([a-z0-9_]{2,12})"
)
# A Discord account in the tagged form ("hostcheap#0001"): a name, "#", four digits.
_DISCORD_TAG = _re(r"(?:^|[^a-z0-9_.#])([a-z][a-z0-9_.]{1,31})#([0-9]{4})(?:$|[^0-9])")
# "Add me: name" with the colon that makes the name an account; a name with a game's tag after it
# ("add me: Sunny#EUW1", Riot's and Battle.net's ids) is a player to add in the game.
_ADD_ME = _re(
    r"(?:add me|加我|add (?:on )?"
    r"(?:d[i1!]sc[o0]rd|telegram|tg|line|ig|insta|snap(?:chat)?|kik|wechat|whatsapp|skype))"
    r"(?: on [a-z]+)?[\s,，]*(?:id)?\s*[:：]\s*([a-z][a-z0-9_.\-]{4,24})(?:$|[^a-z0-9_#])"
)
# An account on a platform named with its number or id: "小红书号：9527388401", "抖音号 dy_666".
_PLATFORM_ID = _re(
    r"(?:小红书|抖音|快手|b ?站|微博|知识星球|星球|支付宝|闲鱼|视频号|kuaishou|douyin)号?\s*[:：]?\s*"
    r"([a-z][a-z0-9_\-]*[0-9_][a-z0-9_\-]*|[0-9]{5,12})(?:$|[^a-z0-9_])"
)
# A token that reads as an account name: letters, "_", digits ("cl_2580v", "lily888").
_HANDLE = _re(
    r"(?:^|[\s:：,，。(（])([a-z][a-z0-9]*_[a-z0-9_]*[0-9][a-z0-9_]*|[a-z]{2,}[0-9]{3,}[a-z0-9]*)(?:$|"
    r"[\s,，。.!！)）])"
)
# A QQ number after its letter: "Q 12088765432", "扣 102345678".
_QQ_NUMBER = _re(
    r"(?:(?:^|[^a-z0-9])(?:q|qq)|扣扣?|企鹅)\s*(?:号)?\s*[:：]?\s*([1-9][0-9]{4,11})(?:$|[^0-9])"
)
# Where to search for the sender: a WeChat official account, a shop's name on a platform.
_SEARCH_POINTER = _re(
    r"(关注(?:我的)?公众号\s*[「【“\"《:：]?|公众号\s*[「【“\"《]"
    r"|(?:淘宝|闲鱼|小红书|抖音|b ?站|微信|虾皮|百度|支付宝|谷歌|知乎|app store|google play)"
    r"\s*搜(?:索|寻)?\s*[“\"「【:：]?"
    r"|[\p{Han}]{1,4}搜(?:索|寻)?\s*[“\"「『【]|(?:^|[^\p{Han}])搜(?:索|寻)?\s*[「『【“\"]|搜(?:索)?我的?(?:名字|昵称)"
    r"|(?:search|google) (?:for )?[\"“'‘][^\"”'’\n]{2,40}[\"”'’](?: on [a-z]+)?"
    r"|search (?:for )?(?:it|me|us|them|him|her) (?:up )?(?:on|in) "
    r"(?:telegram|tg|line|wechat|discord|whatsapp|instagram|ig|tiktok|youtube|google play|app store)"
    r"|(?:小红书|抖音|b ?站|微博|ig|instagram|tiktok)\s*[:：]?\s*@"
    r"|(?:오픈채팅|오픈톡|카톡)(?:방)?\s*검색\s*[:：]?|검색\s*[:：]\s*\S|(?:line|ライン).{0,12}(?:で|に)?検索|"
    r"busca(?:nos|me)? (?:en|por) (?:telegram|whatsapp|instagram)|"
    r"(?:such(?:e|t)?|wyszukaj|cherche[rz]?|cerca(?:te)?) (?:auf|na|sur|su) "
    r"(?:telegram(?:ie)?|tg|whatsapp|instagram)(?: nach)?\s*[\"“„«]|"
    r"(?:telegram|tg|instagram)'?(?:da|de|ta|te) [\"“«][^\"”»\n]{2,40}[\"”»] ?(?:aratin|arayin|ara)\b|"
    r"(?:ابحث|ابحثوا|دور|دوروا)[^\n]{0,12}(?:تلغرام|تليغرام|التلغرام|التليغرام|بالتلغرام|بالتليغرام)"
    r"[^\n]{0,8}[\"“«])"
)
# A stranger's opener, the first line of a romance or investment scam: "sorry, I saved the wrong
# number, is this Emily?", "不好意思加错人了" (said to the group: no member's mistake is).
_WRONG_CONTACT = _re(
    r"(wrong (?:number|contact|person)|saved (?:the |your )?(?:wrong|number wrong)|added (?:the )?wrong|"
    r"加错|存错|备注错|equivoqu[eé] de n[uú]mero|n[uú]mero (?:equivocado|errado)|(?:mauvais|faux) num[eé]ro|"
    r"tromp[eé]e? de num[eé]ro|falsche nummer|間違えて(?:追加|登録)|번호를 잘못|잘못 (?:저장|추가)|"
    r"الرقم الخطأ|رقم خطأ|ошиб(?:лась|ся) номером|не тот номер|salah (?:nomor|orang|sambung)|nham so|"
    r"ผิดเบอร์|ทักผิด|nimekosea namba|namba (?:si sahihi|mbaya)|打错(?:号码|电话|人)|发错(?:人|了)|"
    r"加錯|打錯)"
)
_APOLOGY = _re(
    r"((?:^|[^a-z])(?:sorry|hi|hello|hey|dear|perdona|disculpa|hola|bonjour|desole|entschuldigung|hallo|"
    r"maaf|xin loi|samahani|habari)(?:[^a-z]|$)|"
    r"不好意思|抱歉|打扰|你好|您好|哈喽|嗨|唔好意思|すみません|はじめまして|"
    r"안녕|혹시|مرحب|آسف|привет|извините|สวัสดี|ขอโทษ)"
)
# Or asking a stranger who they are, as if met before: "is this Michael? we met at the open house",
# "请问是李总吗？上次在展会上加的", "¿eres Carlos? nos conocimos".
_WHO_ASKED = _re(
    r"((?:^|[^a-z])(?:is this|are you) [a-z]+ ?\?|eres [a-z]+ ?\?|"
    r"请问(?:你|您)?是.{1,3}(?:总|姐|哥|先生|小姐|老师|经理|生)吗)"
)
_MET_BEFORE = _re(
    r"(we met|met (?:you )?at|supposed to meet|from the (?:open house|conference|party|gym|class)|"
    r"nos conocimos|上次|之前在|加的|见过)"
)
# Or the investment scam's other opener, to one stranger: work in gold, crypto or trading told
# with an offer of friendship or a "you're from X too" ("ho visto che sei di Milano, anch'io!
# Lavoro nel trading dell'oro, ti va di fare amicizia?").
_INVESTMENT_WORK = _re(
    r"((?:i|i'?m|je|ich|ja|io|ben|mimi|أنا|انا|بشتغل|اشتغل)[^.!?\n]{0,40}"
    r"(?:crypto|krypto|kryptowalut|bitcoin|forex|trading|invest|inwestycj|or et|l'or|gold|oro|altin|"
    r"الاستثمار|بالاستثمار|الذهب|التداول)|(?:pracuje|lavoro|travaille|arbeite|work|calisiyorum)"
    r"[^.!?\n]{0,20}(?:crypto|krypto|kryptowalut|forex|trading|invest|inwestycj|gold|oro|finan)|"
    r"(?:altin|forex|kripto) ticareti|做金融|做投资|做黄金|做外汇|做數字貨幣|做数字货币)"
)
_BEFRIEND = _re(
    r"(be friends|make friends|get to know|fare amicizia|poznamy|pogadam|poznac|tanimak istiyorum|"
    r"arkadas olalim|faire connaissance|kennenlernen|نتعرف|نكون اصحاب|marafiki|做個朋友|做个朋友|"
    r"交个朋友|交個朋友|認識一下|认识一下|on s'?est rencontres|we(?:'ve)? met|ci siamo (?:gia )?conosciuti|"
    r"(?:also|too) from|you'?re from [^.!?\n]{2,20} too|tez jestes z|sei di [^.!?\n]{2,20} anch|"
    r"انك من|إنك من|toi aussi de|du auch aus|sen de mi)"
)
# Telling of such openers ("I got three 'wrong number' DMs"), not one.
_ABOUT_OPENERS = _re(r"(dms|messages|texts|私信|消息|开场白|骗子|scam)")
# Words pointing at something the text does not show: a QR code, a hidden link, an image.
_POINTER = _re(
    r"(扫码|二维码|点击|链接|点这里|戳这里|click here|tap here|link below|see (?:image|pic)|"
    r"qrコード|qr코드|큐알|c[oó]digo qr)"
)
# Asking to be written to privately, with nobody named: "DM me", "offers in DM", "私我".
_DM_REQUEST = _re(
    r"((?:dm|pm|inbox|message) me|(?:dm|pm|inbox) (?:for|to get)|send me a (?:dm|message)|"
    r"offers? in (?:my )?dms?|"
    r"in (?:my |the )dms|(?:details|info|prices?|more|links?) in dms|"
    r"(?:by|via|thru|through|with) (?:a )?dm|ping me|"
    r"dm (?:to )?(?:our|my) (?:page|account)|(?:推|介绍|拉)给你|"
    r"i'?ll (?:dm|message) you|send you (?:the )?details privately|reply \"?yes|"
    r"reply (?:for|to get) (?:the )?(?:details|more info)|"
    r"i'?ll send you (?:the )?(?:details|info|link)|私信\s*[“\"「]|[,.]\s*(?:dm|pm)[.!]*\s*$|"
    r"私我|私聊我|私信我|滴滴我|戳我|"
    r"הודעה פרטית|בפרטי|[,.]\s*פרטי[.!]*\s*$|"  # Hebrew: "a private message", "in private", ". private"
    r"我私你|打1(?:[^0-9]|$)|扣1(?:[^0-9]|$)|回复1(?:[^0-9]|$)|pm我|dm我|inbox我|"
    r"(?:^|[^a-z])(?:msg|text|write|write to|contact) me\b|(?:^|[^a-z])hit me up\b|"
    r"(?:^|[^a-z])hmu\b|(?:to|into) my dms?\b|"
    r"(?:^|[^a-z])(?:text|message|dm|pm) us\b|(?:book|order|buy) (?:via|on|through) (?:my|our|ws|wa|dm)\b|"
    r"(?:^|[^a-z])dm at\b|reply (?:with )?['\"“]?(?:me|1|yes|interested|info)\b|comment ['\"“]|"
    r"write (?:me )?(?:in|to) (?:private|my dm)|escr[ií]beme|(?:al|por|no|en) privado|в личку|в лс|"
    r"pm saya|hubungi (?:saya|admin|kami)|en prive|en mp|par mp|contactez[- ]moi|ecrivez[- ]moi|"
    r"melde dich|schreib(?:t)? mir|chama no (?:pv|privado|direct)|me chama|"
    r"m[aá]ndame (?:un )?(?:dm|md|mensaje)|"
    r"(?:pm|message|chat|msg) (?:niyo |mo )?(?:lang )?(?:ako|po|kami)\b|(?:dm|pm|chat|wa) aja\b|"
    r"\b(?:ib|inbox) (?:em|mình|minh|shop)\b|nhắn tin|ทัก(?:มา|แชท|ไลน์)|แอดไลน์|"
    r"пиш(?:ите|и) (?:мне|в (?:лс|личку|тг|телеграм))|напишите мне|ищите в (?:тг|телеграм)|"
    r"dm ?(?:ください|まで|で)|連絡ください|whisper me|tag me if|lmk\b|"
    r"(?:in|to|via) (?:your |my )?(?:pm|dm)s?\b|"
    r"reply with your (?:email|number)|我拉你|拉你(?:们)?进|"
    r"(?:要|需要|想要|有意|感兴趣|想了解)的?(?:可以|请|就)?(?:私|dd|滴滴|找我|联系我)|私(?:讯|聊|信)?您|"
    r"(?:^|[^人他她])私讯我|私发|再私|dd ?我|滴我|有需要的?dd|(?:下单|报价|购买|了解)找我|"
    r"找我(?:拿|买|下单|报价|了解)|评论区扣|扣个?1|"
    r"回复本条|留言我|[^人家有隐自]私$|"
    r"ask me (?:how|for (?:details|the link|more))\b|[，,]\s*私信[。!！]*$|"
    r"问我怎么(?:做|赚|弄|操作|玩|挣)|(?:^|[^a-z])[微薇]我|请私讯|"
    r"pisz na priv|scrie(?:ti)?-mi|irj (?:privatban|nekem|telegramon|whatsappon)|erdeklodni privatban|"
    r"(?:^|[^a-z])privat[.!]*\s*$|falamos em privado|mensagem privada|γραψτε μου|στειλτε μου|"
    r"je (?:vous|t'?) explique en prive|"
    r"me manda (?:mensagem|msg|dm|um oi)|(?:pelo|no) zap (?:do|da)\b|"
    r"lichka(?:ga|da)?\b|yozing[.!]*\s*$|жеке хабар|پیوی|پی وی|پیام بد(?:ید|ین|ه)|دایرکت|"
    r"ozelden(?: yazsin| yazin| ulasin)?[.!]*\s*$|пишіть[.!]*\s*$|писати @|пиши(?:те)? в (?:телегу|тг)|"
    r"napis(?:te)? mi\b|kontaktujte me\b|ozvi(?:te)? se\b|skriv (?:till mig|privat|pm)|hor av dig|"
    r"stuur (?:me )?(?:een )?(?:dm|pb|prive ?bericht|berichtje)\b|"
    r"(?:add|contact|message|dm|talk to|write to) (?:the |their |an? )?(?:[a-z]+ )?"
    r"(?:admin|support|moderator|staff)(?: team)? (?:on|via|in|at) (?:discord|telegram|steam|whatsapp)|"
    r"contatta(?:mi|ci)|scrivimi|napisz (?:do mnie|prywatnie|priv)|пишіть (?:мені|в (?:особисті|лс|приват))|"
    r"تواصل (?:معي|معنا)|راسلني|راسلنا|li[eê]n h[eệ] (?:em|minh|mình|ngay|zalo)|ติดต่อ ?(?:inbox|ไลน์|มา)|"
    r"bana yaz|dm'?den yaz|kontaktiere mich|wa saya|chat saya|문의 ?(?:주세요|는|하세요)|연락 ?주세요|"
    r"개인톡|갠톡|メッセージで|dmで|pregunta (?:en|por) (?:privado|dm|md)|mira mi perfil|"
    r"подробности в (?:лс|тг|личке|телеграм)|в директ\b|пиш(?:ите|и) в (?:профиль|инст|директ)|"
    r"пиши мені|пишіть мені|жеке (?:хабарлас|хат)|"
    r"[」'\"”]\s*(?:とだけ)?返信|[」'\"”]\s*(?:만 )?(?:남겨|댓글)|"
    r"(?:^|[^a-z])type ['\"“][a-z0-9 ]{1,12}['\"”]|nhan ['\"“][a-z0-9 ]{1,12}['\"”]|dm ?주세요|"
    r"(?:^|[^a-z])pm lang\b|"
    r"(?:^|[^a-z])(?:call|msg|message|whatsapp|dm|inbox|contact) kar(?:o|ein|en|e|iye|ien)\b|"
    r"(?:संपर्क|कॉल|मैसेज|इनबॉक्स) कर(?:ें|े|ो)|(?:যোগাযোগ|কল|ইনবক্স) করুন|মেসেজ দিন|"
    r"(?:انباکس|رابطہ|میسج) کریں|رابطہ کے لیے|للتواصل (?:خاص|على الخاص)|(?:على|في|بال)الخاص|"
    r"wasiliana nami|tuma ujumbe|nitumie ujumbe|niulize|(?:talk|chat|speak) (?:in )?privately|"
    r"(?:^|[^a-z])japri\b|(?:pm|dm|wa) (?:kalau|kalo|jika) (?:serius|berminat|minat)|(?:pm ){2,}|"
    r"ozelden (?:yazin|yaz|ulasin)|message prive|en prive|scrivetemi|in privato|chiedetemi|"
    r"napisz(?:cie)? (?:na )?(?:priv|pw)|(?:im|per) (?:dm|pn)\b|"
    r"(?:[,.]|\p{So})\s*(?:dm|pm|pn)[.!]*\s*(?:\p{So}\s*)*$|"
    r"راسلوني|راسل(?:ني|نا|وني)? (?:خاص|على الخاص|الأدمن|الادمن)|تواصل (?:خاص|عبر|على)|للتواصل|"
    r"(?:الرقم|الرابط|التفاصيل) (?:في|على) (?:الخاص|البروفايل|حسابي)|اضغط على اسمي|"
    r"(?:^|[^a-z])yazin[.!]*\s*$|yazabilir|bana ulas|(?:whatsapp|dm)'?(?:tan|ten|den) yaz|"
    r"(?:^|[^\p{L}])лс[.!]*\s*$|пишите[.!]*\s*$|в личные сообщения|пишите [«\"]|ставьте \+|"
    r"подробности у (?:админа|меня)|пиши в (?:телегу|тг|личку)|(?:^|[^a-z])langsung dm\b|"
    r"comunicarse al privado|mp (?:moi|pour)\b|nur pn\b|price dm mein|dm mein\b|meldet euch|"
    r"(?:need|want) (?:his|her|their) (?:contact|number|details)|"
    r"(?:his|her) (?:contact|number),? i can share|"
    r"contact chahiye|unka (?:contact|number)|"
    # Russian written in Latin letters (styled or plain) asks the same: "pishi v ls".
    r"pish(?:i|ite) (?:v )?(?:ls|lichku|lichke)\b)"
)
# A local number with a call to ring it: "call or text 555-0147".
# A local number (seven or eight digits, as Hong Kong writes them) after a word or sign that says
# to ring it: "call or text 555-0147", "查询热线：2358 6671", "📞 9321 4560".
_PHONE_LOCAL = _re(
    r"(?:call|text|tel|phone|whats(?:app)?|电话|致电|热线|查询|联络|联系|📞|☎)[^0-9\n]{0,12}"
    r"([2-9][0-9]{2,3}[\- ]?[0-9]{4})(?:[^0-9]|$)"
)
# A file named as a document, a photo or an invitation is no app: one that is an app is a lure.
_DOCUMENT = _re(
    r"(undangan|konfirmasi|kurir|paket|resi|tagihan|surat|foto|invoice|invitation|wedding|delivery|"
    r"parcel|receipt|document|photo|pdf|thiep|hoadon|donhang|bienlai|kiriman|pesanan|struk)"
)
_APK = _re(r"(?:^|[^a-z0-9_.\-])([a-z0-9_\-]{3,60}\.apk)(?:$|[^a-z0-9])")
# A crypto wallet's address: where a "send 0.1 and get 0.2 back" scam wants the money.
_WALLET = _re(r"(?:^|[^a-z0-9])(0x[0-9a-f]{40}|bc1[a-z0-9]{25,60}|t[1-9a-hj-np-z]{33})(?:$|[^a-z0-9])")
# A LINE account: "line id: bkk.condo", "his line is pattaya.home" (line alone is a word; an id
# ends in a letter or digit, so "the fence line is fine." names none).
_LINE_ID = _re(
    r"(?:^|[^a-z0-9])line[^a-z0-9\n]{0,4}?[ \t]*(?:(?:id[ \t]*[:：]?|[:：➡→👉>]|我[ \t]*[:：]?)[ \t]*@?"
    r"([a-z0-9][a-z0-9._\-]{2,29}[a-z0-9])"
    r"|\s+is\s+@?([a-z][a-z0-9]*(?:[._][a-z0-9]+)+))(?:$|[^a-z0-9_])"
)
# A Cash App handle after its name: "cashtag $quickflip".
_CASHTAG = _re(r"(?:cashtag|cash ?app)[^$\n]{0,20}(\$[a-z][a-z0-9_]{2,20})")
# All the lists in one pattern per script (one scan of the text, not one per list): group n+1
# is list n. A word on two lists counts for the first.
_CATEGORY_NAMES = tuple(CATEGORIES)
_CATEGORY_CJK = _re("|".join(f"({cjk})" for cjk, _ in CATEGORIES.values()))
# The plain words of the trades' Chinese lists, each written backwards.
_REVERSED_WORDS = _re(
    "(" + "|".join(sorted({
        word[::-1] for cjk, _ in CATEGORIES.values() for word in cjk.split("|")
        if len(word) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in word)
    })) + ")"
)
_CATEGORY_LATIN = _re(
    r"(?:^|[^a-z])(?:" + "|".join(f"({latin})" for _, latin in CATEGORIES.values()) + r")(?:[^a-z]|$)"
)
_REPORTED_SCAM = _re(_REPORTED_BY_MISTAKE)
_STRONG = _re(
    r"(日赚|日入(?:[0-9一二两三四五六七八九十几百千万]|过)|月入|躺赚|包过|保证通过|earn up to \$|稳赚|包赢|"
    r"必中|刷单|裸聊|约炮|博彩|菠菜|"
    r"百家乐|真人荷官|网赌|空投|带单|"
    r"跑分|洗钱|出u|收u|承兑|套现|下款|秒批|黑户|口子|代开|办证|楼凤|援交|福利姬|引流|涨粉|砍一刀|"
    r"一单一结|零投入|首充|返水|彩金|注册送|开户送|卖号|出号|收号|代还|撸毛|double your|"
    r"(?:出售|收购|高价收|收)(?:各大)?(?:银行卡|对公账户|对公户|u盾|四件套)|"
    r"guaranteed profit|guaranteed returns|free crypto|connect wallet|seed phrase|onlyfans|"
    r"work from home|side hustle|earn \$|passive income|investment plan|no credit check|"
    r"instant approval|free spins|deposit bonus|hot girls|escort|binary options|trading signals|"
    r"hookup|recover your funds|be your own boss|financial freedom|"
    # Hebrew: "no credit check", "passive income", "guaranteed tips".
    r"ללא בדיקת (?:bdi|אשראי)|הכנסה פסיבית|טיפים בטוחים|"
    # Space in the group sold: "想投广告的找我", "广告位招租".
    r"投广告的|广告位(?:出租|招租|招商|有限)|一条广告[0-9一二三四五六七八九十百]|承接广告|代发广告|"
    # Personal data sold, and services the law forbids (a foetus's sex told from the mother's blood).
    r"公民(?:个人)?信息|个人信息(?:出售|批发|打包)|精准(?:客户|客源|粉丝?|数据)|客户数据出售|"
    r"sell(?:ing)? (?:leads|data ?bases?|customer data)|(?:fresh|targeted) leads|"
    r"验血查性别|查胎儿性别|胎儿性别鉴定|寄血样|代孕|包生男孩|试管包性别|"
    # Accounts and identities sold or rented out: the money mule's and the fraudster's tools.
    r"jual rekening|rekening siap pakai|account with verified kyc|kyc verified account|"
    r"(?:rent|paupahan)[^.\n]{0,20}(?:gcash|bank|paypal) account|"
    r"(?:selling|buying|bibilhin)[^.\n]{0,25}(?:facebook|fb) accounts?|clean kra pin|"
    r"借你的?(?:bank ?account|银行卡|账户|户口)|(?:银行卡|账户)[^，。,]{0,10}借我用|闲置(?:的)?银行卡|"
    r"收钱转钱|(?:account|账户|户口|银行卡) ?出租|"
    r"(?:otp|验证码)[^，。,.]{0,4}(?:给我|发我|发给我|俾我|發俾我)|"
    # A licence or certificate "without the exam" (办驾照 不用考试).
    r"(?:驾照|执照|证书|文凭|学历)[^，。,.]{0,8}(?:不用考|免考|包过)|"
    # In Russian, Ukrainian, Kazakh, Uzbek and Turkish: cards and accounts bought or rented (the
    # money mule's), papers forged "into the database", drugs by their street names, people looked up.
    r"куплю (?:ваш[а-я]* )?(?:дебетов[а-я]* )?карт|купую картки|картк[иу] (?:фоп|монобанк|приват)|"
    r"iban kirala|готов(?:ыи|ые) (?:ип|ооо)|сдаст мне свои аккаунт|аккаунт[а-я]* в аренду|"
    r"akkauntlar sotiladi|обнал|preter son compte|compte bancaire[^.\n]{0,40}(?:recevoir|preter)|"
    r"conta (?:num|no|de) banco[^.\n]{0,40}receber|bankszamla[a-z]* [^.\n]{0,20}berbe|ugyfelkapu|"
    r"收 ?sfz|帮忙刷(?:个)?脸|te administro tu cuenta|hesabini bana devret|(?:i'?ll|i will|let me) (?:manage|"
    r"trade) (?:your|ur) "
    r"(?:account|funds)|send (?:me )?your ssh (?:private )?key|专业解冻|"
    r"vendo cuenta de|sprzedam konto|selling (?:a |my )?[0-9]+k? members? (?:discord )?server|"
    r"τραπεζικουσ λογαριασμουσ|inchiriez conturi|cumpar contul|conturi de (?:linkedin|upwork|fiverr)|"
    r"vendo conta[s]? verificad|lista de (?:e-?mails|contatos|leads)|"
    r"(?:права|посвідчення|диплом[а-я]*|аттестат|атестат|довідк[аи]|справк[аи])[^.\n]{0,40}"
    r"(?:без (?:экзамен|іспит|сдачи)|(?:внесени[ем]|внесенням) (?:в|у) баз)|базаға енгіз|"
    r"sinavsiz|belgesi yapilir|devlet'?te gorunur|білии квиток|відстрочк[а-я]*,|фейк-опыт|"
    r"закладк[а-я]*|кладмен|меф(?:едрон)?\b|шишки|бошки|пробив\b|"
    r"compte bancaire pour recevoir|conto corrente[^.\n]{0,30}ricevere bonifici|"
    r"kontem w [a-z]* ?banku do odbioru|口座を[贷貸]して|口座[贷貸]し|"
    # Exam papers "leaked" for sale or behind a link.
    r"leaked (?:exam |question )?papers?|sujets [^.\n]{0,20}ont fuite|"
    # The prize that costs its taxes (a cruise passenger's "plus port taxes" is no prize); the
    # officer abroad, introducing himself, with a consignment.
    r"you'?ve been (?:selected|chosen) for a free (?:cruise|trip|holiday|vacation|gift|prize|iphone)|"
    r"(?:prize|won|winner|free)[^.\n]{0,60}[.!]? ?(?:just )?(?:pay|cover) (?:the )?port taxes|"
    r"(?:i am|i'?m) (?:captain|sergeant|general|colonel) [a-z]+[^.\n]{0,20}"
    r"(?:us |u\.s\. |united states )?army|consignment of \$|"
    # Exams sat, interviews given and courses attended for the candidate; certificates lent out.
    r"(?:^|[^取替])代考|替考|代面试|远程代面|替你(?:面试|考试|上课)|作弊(?:器|软件|设备|耳机)|"
    r"网课代[刷上看学]|代[刷上]网课|课程代上|证书挂靠|挂靠(?:证书|年费)|代k|[dk]k需求|需要ds的|"
    r"" + _REPORTED_BY_MISTAKE + r"|"
    # The account-takeover scam asks for the code the platform sent.
    r"(?:login|verification|security) code (?:you|that) (?:just )?received|"
    # The platform's support, introducing itself: members speak of it, never as it.
    r"this is (?:the )?telegram support|ici le support (?:de )?telegram|sono dell.?assistenza telegram|"
    r"jsem z podpory telegramu|tu dzial bezpieczenstwa telegrama|somos (?:el )?soporte de telegram|"
    r"aqui e o suporte do telegram|hier ist der telegram.?support|"
    r"send (?:us|me) (?:the|your) (?:login|verification|security) code|"
    r"(?:назовите|продиктуите|сообщите|отправьте|скажите) (?:нам )?(?:код|пароль)|"
    # The embassy's or prosecutor's call, and bank accounts bought from those leaving a country.
    r"按 ?[0-9] ?转人工|转人工(?:服务|处理)|护照(?:涉嫌|出现问题|被冻结)|대포통장|검찰청입니다|"
    r"sell (?:their|your) bank accounts?|bank accounts? for sale|buy(?:ing)? (?:used )?bank accounts)"
)
_PRICE = _re(r"[$¥€£] ?[0-9][0-9,.]*|[0-9][0-9,.]* ?(?:元|块|美元|usd|rmb|台币|港币)|仅需|只要[0-9]")
_EMOJI_HOOK = _re(
    r"[\x{1F4B0}\x{1F4B5}\x{1F4B8}\x{1F525}\x{1F381}\x{1F680}\x{1F4B2}\x{1F4AF}"
    r"\x{2705}\x{1F449}\x{1F51E}\x{1F48E}\x{1F911}\x{1F4E2}\x{1F4E3}\x{27A1}]"
)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    detail: str
    weight: float

    def __str__(self) -> str:
        return (
            f"{self.code}({self.detail}) +{self.weight:g}" if self.detail else f"{self.code} +{self.weight:g}"
        )


@dataclass(frozen=True, slots=True)
class Verdict:
    score: float
    reasons: tuple[Reason, ...]
    threshold: float = THRESHOLD

    @property
    def is_ad(self) -> bool:
        return self.score >= self.threshold

    def explain(self) -> str:
        return "; ".join(str(r) for r in self.reasons) or "no signal"


@dataclass(frozen=True)
class Policy:
    """A group's whitelists and words (from the config and the admins' commands)."""

    domains: frozenset[str] = frozenset(DEFAULT_DOMAINS)
    usernames: frozenset[str] = frozenset()
    # Usernames known to be members (the roster): mentioning them is conversation.
    members: frozenset[str] = frozenset()
    bots: frozenset[str] = frozenset(DEFAULT_BOTS)
    keywords: tuple[re2._Regexp, ...] = ()
    threshold: float = THRESHOLD
    # A new member's message is judged with this much added to any link or contact signal.
    strict: bool = False
    # What a message means counts beside its words (plugins.ads.meaning).
    meaning: bool = True

    @staticmethod
    def build(
        domains: Iterable[str] = (),
        usernames: Iterable[str] = (),
        members: Iterable[str] = (),
        keywords: Iterable[str] = (),
        threshold: float = THRESHOLD,
        defaults: bool = True,
        strict: bool = False,
        meaning: bool = True,
    ) -> Policy:
        base = set(DEFAULT_DOMAINS) if defaults else set()
        return Policy(
            domains=frozenset(base | {_host(d) for d in domains if d}),
            usernames=frozenset(u.lstrip("@").casefold() for u in usernames if u),
            members=frozenset(m.lstrip("@").casefold() for m in members if m),
            keywords=tuple(compile_keyword(k) for k in keywords),
            threshold=threshold,
            strict=strict,
            meaning=meaning,
        )

    def domain_ok(self, host: str) -> bool:
        parts = host.split(".")
        if len(parts) > 1 and parts[-1] in PUBLIC_TLDS:
            return True
        # A country's public sector: gov.my, go.th, go.kr, lg.jp (Tokyo's offices), gouv.fr.
        if len(parts) > 2 and parts[-2] in PUBLIC_SECOND_LEVELS and parts[-1] in COUNTRY_TLDS:
            return True
        if any(".".join(parts[i:]) in self.domains for i in range(len(parts) - 1)):
            return True
        # A whitelisted site's own country domain: amazon.co.uk, ikea.de and rakuten.co.jp are
        # the .com's (a country's registry does not hand a famous name to someone else).
        suffix = 2 if ".".join(parts[-2:]) in COUNTRY_SECOND_LEVELS else 1
        if len(parts) <= suffix or (suffix == 1 and parts[-1] not in COUNTRY_TLDS):
            return False
        return parts[-suffix - 1] + ".com" in self.domains

    def knowing(self, members: Iterable[str]) -> Policy:
        """This policy with ``members`` known as members too (the roster found them)."""
        return replace(self, members=self.members | {m.lstrip("@").casefold() for m in members if m})

    def username_ok(self, name: str) -> bool:
        name = name.casefold()
        return name in self.usernames or name in self.members or name in OFFICIAL_ACCOUNTS


def _host(value: str) -> str:
    value = value.strip().casefold()
    if "://" not in value:
        value = "http://" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    return _idna(host.strip("."))


def _idna(host: str) -> str:
    """The Unicode form of a host (punycode decoded), folded to its ASCII skeleton."""
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return normalize_host(".".join(labels))


@functools.lru_cache(maxsize=4096)
def normalize_host(host: str) -> str:
    return fold_confusables(host.casefold()).replace("\u3002", ".")


class _Score:
    def __init__(self) -> None:
        self.reasons: list[Reason] = []
        self.seen: set[tuple[str, str]] = set()
        self.known_hosts: list[str] = []  # whitelisted hosts linked to (no weight of their own)
        self.sites: set[str] = set()  # the sites plain links go to
        self.asks_privately = False  # "DM me", "WhatsApp'tan yaz": weighed once, with a contact word

    def add(self, code: str, detail: str, weight: float) -> None:
        if (code, detail) in self.seen or weight == 0:
            return
        self.seen.add((code, detail))
        self.reasons.append(Reason(code, detail, round(weight, 2)))

    def total(self) -> float:
        return round(sum(r.weight for r in self.reasons), 2)

    def detail(self, code: str) -> str | None:
        return next((r.detail for r in self.reasons if r.code == code), None)

    def has(self, *codes: str) -> bool:
        return any(r.code in codes for r in self.reasons)

    def only(self, codes: Iterable[str]) -> bool:
        """Whether every reason so far is one of ``codes``."""
        return all(r.code in codes for r in self.reasons)

    def hold_under(self, code: str, detail: str, threshold: float) -> None:
        """Bring the total to just under ``threshold``: what was found stands, and is no ad."""
        self.add(code, detail, threshold - 0.1 - self.total())


def _judge_host(
    score: _Score, policy: Policy, raw_host: str, *, hidden: bool, shown: str, where: str
) -> None:
    host = _idna(raw_host)
    if host and policy.domain_ok(host):
        score.known_hosts.append(host)
    if not host or policy.domain_ok(host):
        if raw_host and host and normalize_host(raw_host) != raw_host.casefold() and not raw_host.isascii():
            score.add("lookalike_domain", raw_host, 1.0)  # looks like a whitelisted host, is not
        elif "xn--" in raw_host:
            score.add("lookalike_domain", raw_host, 1.0)
        return
    brand = _impersonated(host) or _borrowed_site(policy, host)
    if brand:
        score.add("lookalike_domain", f"{raw_host} ~ {brand}", 0.6)
    if bait := _bait_word(host):
        score.add("bait_host", f"{host} ({bait})", 0.3)
    disguise = _idn_disguise(raw_host)
    if disguise == "lookalike":
        score.add("lookalike_domain", raw_host, 0.6)
    elif disguise == "accents":
        score.add("idn_host", raw_host, 0.3)
    if host in SHORTENERS:
        score.add("shortener", host, 0.7)
        if hidden:
            score.add("hidden_link", f"{shown[:30]} -> {host}", 0.5)
    elif hidden:
        score.add("hidden_link", f"{shown[:30]} -> {host}", 0.8)
        # Discord's masked link "[words](url)" keeps its address in the text: one link, weighed once.
        score.sites.add(_site(host))
    elif where != "button":  # a button is a link, weighed as one (url_button, below)
        site = _site(host)
        if site not in score.sites:  # "d2l.ai" and "zh.d2l.ai" are one site
            score.sites.add(site)
            score.add("link", host, 0.45)
    tld = host.rsplit(".", 1)[-1]
    if tld in SUSPICIOUS_TLDS:
        score.add("suspicious_tld", host, 0.3)


# A brand's own sites one letter off its name: Telegram's publishing site, not a disguise of it.
_BRANDS_OWN = frozenset({"telegra.ph"})


def _impersonated(host: str) -> str | None:
    """The brand a host borrows: its name with more words around it (``discord-gift.com``,
    ``binance.claim-now.xyz``) or one letter off (``dlscord.com``). The brand's own domain
    (``paypal.com``, ``www.netflix.com``) borrows nothing."""
    labels = host.split(".")[:-1]
    if not labels or _site(host) in _BRANDS_OWN:
        return None
    # The name a scam registers, or any label under a cheap top-level domain: a brand in a
    # subdomain of a real site ("genshin-impact.fandom.com") is that site's page about it.
    if host.rsplit(".", 1)[-1] not in SUSPICIOUS_TLDS:
        labels = labels[-1:]
    for i, label in enumerate(labels, len(host.split(".")) - 1 - len(labels)):
        words = [w for w in label.split("-") if w]
        for word in words:
            if word in BRANDS:
                if words == [word] and i == len(host.split(".")) - 2:
                    return None  # the brand's own name under a top-level domain
                if word in PHISHED and not _PROJECT_WORDS.intersection(words):
                    return word
                continue
            if len(word) >= 6:
                for brand in BRANDS:
                    near = abs(len(brand) - len(word)) <= 1 and _one_edit(word, brand)
                    if near and not _new_initial(word, brand):
                        return brand
    return None


def _borrowed_site(policy: Policy, host: str) -> str | None:
    """A whitelisted site's whole name at the start of another host ("youtu.be-watch.com",
    "github.com.login-check.xyz"): made to be read as that site."""
    for i, ch in enumerate(host):
        if ch in "-." and host[:i] in policy.domains:
            return host[:i]
    return None


# Words that bait a click, in a host's own name ("rust-lang-airdrop.org", "pc-setup-contest.net").
_BAIT_WORDS = frozenset(
    {"airdrop", "airdrops", "giveaway", "gift", "gifts", "nitro", "claim", "reward", "rewards", "bonus",
     "free", "contest", "vote", "voting", "prize", "promo", "mint", "rectify", "verify", "login",
     "freebies", "winner", "cases", "skins", "robux", "drop", "apk",
     # Verify, unblock, refund, pay a fine: the phishing page's errand, in the languages it runs in.
     "verification", "verificatie", "verificacion", "verificacao", "verifica", "verifizierung",
     "weryfikacja", "overeni", "verifikasi", "dogrulama", "unblock", "unlock", "odblokowanie",
     "odblokovani", "entsperren", "entsperrung", "sblocco", "deblocage", "desbloqueo", "desbloqueio",
     "refund", "rueckerstattung", "erstattung", "rimborso", "rimborsi", "zwrot", "remboursement",
     "reembolso", "pokuty", "multas", "bussgeld", "amendes", "boetes", "aktualizacja", "awizo",
     # The casinos' bonuses and freebies in Spanish and Portuguese ("bonos-casino.es", "ganhe-brindes");
     # "gratis", "premios", "regalos" name members' sites too ("apuntes-gratis", "premios-goya").
     "bonos", "brindes", "ganhe"}
)
# Hosting where anyone's site is a subdomain: the name to read is the subdomain.
_HOSTING = ("web.app", "firebaseapp.com", "netlify.app", "vercel.app", "pages.dev", "herokuapp.com",
            "glitch.me", "repl.co", "onrender.com", "weebly.com", "wixsite.com", "blogspot.com")


def _bait_word(host: str) -> str | None:
    labels = host.split(".")
    name = labels[-3] if len(labels) >= 3 and ".".join(labels[-2:]) in _HOSTING else labels[-2:][0]
    return next((w for w in name.split("-") if w in _BAIT_WORDS), None)


# Words a software project's site has around a brand it builds on ("python-telegram-bot.org").
_PROJECT_WORDS = frozenset({"py", "python", "bot", "api", "sdk", "lib", "js", "docs", "dev", "rs", "go"})


def _site(host: str) -> str:
    """The name a host is registered under, near enough: its last two labels, three under a
    two-letter country's second level ("news.bbc.co.uk" -> "bbc.co.uk")."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go"})


def _new_initial(a: str, b: str) -> bool:
    """``a`` is ``b`` with another first letter, one that does not look like it: a name of its
    own ("pinecraft", "neetcode"), where a disguise changes a letter that looks the same
    ("dlscord", "paypa1")."""
    return len(a) == len(b) and a[0] != b[0] and a[1:] == b[1:] and (a[0], b[0]) not in _LOOK_ALIKE


# Letters a disguise puts for one another.
_LOOK_ALIKE = frozenset(
    pair for a, b in ("l1", "li", "i1", "o0", "s5", "e3", "a4", "g9", "b8", "t7", "z2", "vu", "ce", "qg")
    for pair in ((a, b), (b, a))
)


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one letter changed, added or left out."""
    if a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


# Words of a trade in an account's name: "cardsdeal_hk", "wealth_coach_amy", "usdt_king888"; Russian
# in Latin letters too ("bystrye_dengi", "zarabotok_online", "zaim_bez_otkaza").
_TRADE_NAME = _re(
    r"(deals?|shop|store|sale|sell|cheap|vip|cash|money|earn|profit|wealth|rich|invest|trader?|"
    r"trading|fx|forex|crypto|coin|btc|usdt|signals?|pump|bet|casino|loan|credit|jobs?|hiring|promo|"
    r"bonus|gifts?|coach|mentor|guru|recover|rescue|fuli|jianzhi|daili|zhuan|pifa|huoyuan|yunying|"
    r"tuiguang|licai|touzi|caipiao|bocai|shuadan|hongbao|youhui|strategy|official|support|admin|"
    r"helpdesk|agent|manager|gems?|alpha|growth|boost|huishou|shou|tuijian|zuqiu|qiuwang|tips|"
    r"sure ?bets?|odds|airdrop|presale|leaks?|onlyfans|kupon|bukmacher|bahis|iddaa|bourse|signale|"
    r"sygnal|kredi|pozyczk|prestit|emlak|vize|iptv|takipci|satta|altin|ustaz|"
    r"dengi|zarabot|dohod|zaim|kazino|stavk|pribyl|kripta|arbitrazh)"
)


# Everyday words and names with a trade's word inside: "restore" holds "store", "learn" "earn",
# "elizabeth" and "better" "bet", "bishop" "shop", "richard" "rich", "pumpkin" "pump".
_HOLDS_TRADE_WORD = _re(
    r"restor|learn|yearn|alphabet|elizabet|elisabet|better|between|betty|tibet|bishop|richard|ulrich|"
    r"friedrich|pumpkin|russell|ideal|shout|shoulder"
)


# A link behind a few words with nothing said of it but "free", "link" or "sign up": a member
# sharing a page (a form, a manual, the shop they used, their drawings). Alone it calls no one to
# buy; a trade's word, a pitch or a second way to reach makes the call.
_PAGE_SHARED = frozenset({"hidden_link", "offer", "call"})
_ORGANISATION = _re(r"official|support|admin|helpdesk|news")
# A channel named for jobs is a job board ("berlin_jobs_board", "remotejobsasia"): members pass on its
# vacancies, and the post is judged by what it pitches, as a news channel's is. The recruiters'
# easy money ("earn $300 daily, no experience") is in its words, not its name.
_JOB_BOARD = _re(r"jobs?|hiring|careers?")


_TLD_SET = frozenset(TLDS.split("|")) | COUNTRY_TLDS | PUBLIC_TLDS | {"email"}


def _known_tld(host: str) -> bool:
    """A mailbox's host ends in a real top-level domain ("parabéns @julia.santos" is a mention)."""
    tld = host.rpartition(".")[2]
    return len(tld) == 2 or tld in _TLD_SET  # every country's domain has two letters


def _trade_name(score: _Score, name: str, *, channel: bool = False) -> None:
    """An account whose name is made of trade words is a shop's or a promoter's. A channel
    named "..._official" or "..._support" is an organisation's (an account so named is a fake), and
    one named for jobs a job board's."""
    named = name
    if channel:
        # Run together or apart, "official" and "news" name the organisation ("projectofficial").
        named = _ORGANISATION.sub(" ", _JOB_BOARD.sub(" ", name))
    words = [w for w in re2.split(r"[^a-z]+", _HOLDS_TRADE_WORD.sub(" ", named)) if w]
    if any(_TRADE_NAME.search(w) for w in words):
        score.add("trade_name", "@" + name, 0.3)


def _idn_disguise(raw_host: str) -> str | None:
    """``lookalike``: a punycode host whose letters only look Latin (``xn--pple-43d`` is
    Cyrillic ``аpple``); ``accents``: Latin letters with marks (``ĉnvoice``, also a real
    ``müller.de``, so it weighs less); None for an internationalised name in its own script
    (``中文.com``) or no punycode at all."""
    found = None
    for label in raw_host.casefold().split("."):
        if not label.startswith("xn--"):
            continue
        try:
            unicode = label.encode("ascii").decode("idna")
        except (UnicodeError, ValueError):
            return "lookalike"
        folded = fold_confusables(unicode)
        if folded != unicode and any(c.isascii() for c in folded):
            return "lookalike"
        bare = "".join(c for c in unicodedata.normalize("NFD", unicode) if not unicodedata.combining(c))
        if bare != unicode and bare.isascii():
            found = "accents"
    return found


def _own_bot(url: str, via_bot: str | None, policy: Policy) -> bool:
    """A button opening the inline bot that sent the message (a poll's "Vote"), or a bot the
    group allows."""
    found = _TME.search(url.casefold())
    if found is None:
        return False
    name = found.group(1)
    return name in policy.bots or (via_bot is not None and name == via_bot.casefold().lstrip("@"))


def _names_site(shown: str, host: str) -> bool:
    """The words over a link spell its site's name ("Straits Times article" over
    straitstimes.com): a link shown for what it is, not hidden. A name of words joined by hyphens
    is spelled without them ("Berliner Mieterverein" over berliner-mieterverein.de)."""
    labels = [x.replace("-", "") for x in host.casefold().split(".")[:-1] if x != "www"]
    name = max(labels, key=len, default="")
    letters = "".join(c for c in shown.casefold() if c.isascii() and c.isalnum())
    return len(name) >= 4 and name in letters


# An organisation's account for the people who run it: "esn_madrid_board", "chorverein_team".
_OWN_ACCOUNT = _re(r"[_.]?(?:board|team|committee|office|events)$")


def _names_a_site(sites: set[str], name: str) -> bool:
    """The account's name is a linked site's name, its words run together ("esn_madrid" and
    esnmadrid.org)."""
    letters = "".join(c for c in name if c.isalnum())
    return len(letters) >= 5 and any(site.split(".")[0].replace("-", "") == letters for site in sites)


def _link_text_host(text: str) -> str:
    found = _DOMAIN.search(normalize(text).text)
    return _idna(found.group(1)) if found else ""


def detect(sample: Sample, policy: Policy | None = None) -> Verdict:
    policy = policy or Policy()
    if any(mark in sample.text for mark in _QUOTE_MARKS):
        # A quoted message, not a quoted name ("search 'FundBack Pro'" is where to find one).
        # (Chinese says in ten characters what takes twenty in letters.)
        outside = _QUOTED.sub(
            lambda m: " " if len(m.group(0)) >= (20 if m.group(0).isascii() else 10) else m.group(0),
            sample.text,
        )
        if outside != sample.text and _warns(outside):
            # A warning that quotes the spam it warns about ("收到的诈骗原文：“加微 vx：…”，大家一律举报"):
            # the quoted words are the spammer's, what the sender says around them is judged.
            return _detect(replace(sample, text=outside), policy)
    verdict = _detect(sample, policy)
    if verdict.is_ad or sample.text.isascii():
        return verdict
    # Chinese written backwards, to be read from the end ("我訊私 款撥日當 貸信辦代"): two words
    # of the trades found reversed, the message is read the right way round as well.
    compact = "".join(simplified(sample.text).split())
    if len({m.group(1) for m in _REVERSED_WORDS.finditer(compact)}) >= 2:
        turned = _detect(replace(sample, text=sample.text[::-1]), policy)
        if turned.is_ad:
            reasons = (Reason("evasion", "reversed", 0.3), *turned.reasons)
            return Verdict(round(turned.score + 0.3, 2), reasons, turned.threshold)
    return verdict


def weighed_names(sample: Sample, policy: Policy) -> list[str]:
    """The @names the detector weighs as a way to reach someone, as it reads them: the message's
    mentions and the @names in its normalised text that the policy does not already allow, in
    the order it weighs them. A name the roster knows is a member's: ``policy.knowing`` it."""
    names = _names(sample, normalize(sample.shown).text)
    return [name for name in sorted(names)[:MENTIONS_WEIGHED] if not policy.username_ok(name)]


def _names(sample: Sample, text: str) -> set[str]:
    """The message's mentions and the @names of its normalised ``text``."""
    names = {u.casefold().lstrip("@") for u in sample.usernames}
    names.update(m.group(1) for m in _USERNAME.finditer(text))
    return names


def _warns(text: str) -> bool:
    norm = normalize(text)
    found = _WARNING.search(norm.compact) or _WARNING.search(norm.text)
    return bool(found) and not _NOT_A_WARNING.search(norm.compact + " " + norm.text)


# What prints nothing: spaces of every width, the zero-width marks, the Hangul fillers, the blank
# Braille cell.
_BLANKS = (
    " \t\n\r\u00a0\u115f\u1160\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u200b\u200c\u200d\u2060\u2800\u3000\u3164\uffa0\ufeff"
)


def _detect(sample: Sample, policy: Policy) -> Verdict:
    score = _Score()
    norm: Normalized = normalize(sample.shown)
    text, compact = norm.text, norm.compact
    if "homoglyph" in norm.evasions and _DOMAIN.search(text):
        score.add("lookalike_domain", _DOMAIN.search(text).group(1), 0.6)
    for evasion in norm.evasions:
        if evasion in ("numerals", "split_number", "styled_digits"):
            # Seven and more digits spelled in Chinese numerals: a phone or QQ number hidden.
            score.add("hidden_number", "", 0.7)
        else:
            score.add("evasion", evasion, 0.3 if evasion != "homoglyph" else 0.5)

    if sample.text.strip() and not sample.text.strip(_BLANKS) and "invisible" not in norm.evasions:
        # Characters that print nothing (the Hangul filler "ㅤ", the blank Braille cell) as the whole
        # text: an empty message that still gets through, its link or button the only thing said.
        score.add("evasion", "blank_text", 0.3)

    started = (x.url.casefold() for x in (*sample.links, *sample.buttons))
    if any(_TME.search(url) and _BOT_START.search(url) for url in started):
        # A bot started with an inviter's code ("?start=ref77", "?start=r_5521"): the referral link,
        # paid per sign-up, as "?ref=" is on a site. A poll's or a list's code ("?start=poll_8812") is not.
        score.add("bot_referral", "", 0.3)

    # -- links: behind words, bare in the text, on buttons --
    for link in sample.links:
        url = normalize(link.url).text
        raw_host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
        shown = link.text.strip()
        shown_host = _link_text_host(shown) if shown else ""
        # A site shown with or without "www." is the site linked.
        hidden = bool(shown) and shown_host.removeprefix("www.") != _idna(raw_host).removeprefix("www.")
        # A host shown over another site's link is a disguise, whatever names they share
        # ("cdn.discordapp.com" over discordapp.co-media.cc).
        other_site = bool(shown_host) and _site(shown_host) != _site(_idna(raw_host))
        hidden = hidden and (other_site or not _names_site(shown, raw_host))
        if shown_host and hidden and not policy.domain_ok(_idna(raw_host)):
            score.add("disguised_link", f"{shown[:30]} -> {raw_host}", 1.0)
        _judge_link(score, policy, url, raw_host, hidden=hidden, shown=shown)
    for button in sample.buttons:
        url = normalize(button.url).text
        raw_host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
        if policy.domain_ok(_idna(raw_host)) or _own_bot(url, sample.via_bot, policy):
            continue
        # One fact, weighed once: a chat's link as what it is (invite, tme_link), any other as a button.
        _judge_link(score, policy, url, raw_host, hidden=False, shown=button.text, where="button")
    plain: set[str] = set()
    for found in _DOMAIN.finditer(text):
        if found.start() and text[found.start() - 1] == "@":
            continue  # an e-mail address's host: the address is judged as one (below)
        plain.add(found.group(1))
        _judge_link(score, policy, found.group(0), found.group(1), hidden=False, shown="")
    if not compact.isascii() and "." in text:
        # Chinese characters set inside a host, to be taken out by the reader: "jichang一.top".
        dehanned = _HAN_IN_HOST.sub(_dehan, _HAN_IN_HOST.sub(_dehan, text))
        if dehanned != text:
            for found in _DOMAIN.finditer(dehanned):
                if found.group(1) not in plain:
                    score.add("evasion", "han_in_host", 0.3)
                    _judge_link(score, policy, found.group(0), found.group(1), hidden=False, shown="")
    for found in _SHORT_LINK.finditer(text):
        _judge_link(score, policy, found.group(0), found.group(1), hidden=False, shown="")
    for found in _DISCORD_INVITE.finditer(compact if "discord" in compact else text):
        _weigh_discord_invite(score, found.group(0))

    # -- usernames --
    names = _names(sample, text)
    for name in sorted(names)[:MENTIONS_WEIGHED]:
        if policy.username_ok(name):
            continue
        weight = 0.7 if name.endswith("bot") or "channel" in name or name.endswith(("_cn", "vip")) else 0.45
        if _OWN_ACCOUNT.search(name) and _names_a_site(score.sites, _OWN_ACCOUNT.sub("", name)):
            # An association's page and its board's account ("esnmadrid.org", "@esn_madrid_board"):
            # one organisation, its page and the people who answer for it, weighed once.
            _trade_name(score, name)
            continue
        score.add("username", "@" + name, weight)
        _trade_name(score, name)
    thanked = _THANKED.search(text) if score.has("username") else None
    credited = _CREDITED.search(text) if score.has("trade_name") else None
    if credited and ("trade_name", "@" + credited.group(1)) in score.seen:
        # A handle named for a trade ("hackrecoverypro", "tech_gurufix") credited with getting back
        # what was lost or fixing it: the recovery scam's shill, as a handle thanked for gains is.
        score.add("thanked_handle", f"@{credited.group(1)}: recovered", 0.3)
    if thanked and not policy.username_ok(thanked.group(1)):
        if endorsed := _ENDORSED.search(text) or _GAINS.search(text):
            # A stranger's handle thanked for the course, the marks, the profit: the shill's testimonial.
            score.add("thanked_handle", f"@{thanked.group(1)}: {endorsed.group(1)[:20]}", 0.3)
    for found in _DIRECTED.finditer(text):
        if not policy.username_ok(found.group(1)):
            score.add("directed_call", "@" + found.group(1), 0.3)
            break

    # -- platform signals --
    if sample.via_bot and sample.via_bot.casefold().lstrip("@") not in policy.bots:
        score.add("via_bot", "@" + sample.via_bot.lstrip("@"), 0.6)
        _trade_name(score, sample.via_bot.casefold().lstrip("@"))
    if sample.forward_kind == "channel":
        who = (sample.forward_username or "").casefold()
        if not who or not policy.username_ok(who):
            score.add("channel_forward", "@" + who if who else "", 0.6)
            _trade_name(score, who, channel=True)
    elif sample.forward_kind == "chat":
        score.add("group_forward", sample.forward_username or "", 0.3)
    elif sample.forward_kind == "user" and sample.forward_username:
        # Forwarded from a promoter's account ("liquid_presale_admin"): the account is the reach.
        who = sample.forward_username.casefold().lstrip("@")
        if not policy.username_ok(who) and _TRADE_NAME.search(who):
            score.add("username", "@" + who, 0.45)
            _trade_name(score, who)

    # -- contacts and numbers --
    # Numbers and names in code (```...```, `...`) are data in a program, no one to call.
    spoken, spoken_compact = text, compact
    if "`" in sample.text and _CODE_SPAN.search(sample.text):
        without_code = normalize(_CODE_SPAN.sub(" . ", sample.text))  # code ends a sentence
        spoken, spoken_compact = without_code.text, without_code.compact
    bare = _DOMAIN.sub(" ", _URL_IN_TEXT.sub(" ", spoken)) if "." in spoken else spoken
    if bare != spoken:
        spoken_compact = compact_of(bare)  # an id is never read out of a link ("docs.qq.com/doc/x1")
    numbers_context = _judge_contacts(score, policy, spoken, bare, spoken_compact)

    # -- trades --
    categories = 0
    pitch = 0  # distinct words of the trades (not offers or calls), an ad phrase counting two
    # A list runs only on text in its script: Chinese on the compact text, Latin on the spaced.
    # (The Latin lists hold the words of Arabic, Devanagari and Bengali too.)
    has_cjk = not compact.isascii()
    has_latin = _LATIN_LETTER.search(text) is not None or _OTHER_SCRIPT.search(text) is not None
    found: dict[str, set[str]] = {}
    for pattern, on, present in ((_CATEGORY_CJK, compact, has_cjk), (_CATEGORY_LATIN, text, has_latin)):
        if present:
            for match in pattern.finditer(on):
                groups = match.groups()
                n = next(i for i, word in enumerate(groups) if word is not None)
                if groups[n] == "pm" and match.group(0)[0].isdigit():
                    continue  # "6pm": a time, no private message
                found.setdefault(_CATEGORY_NAMES[n], set()).add(groups[n])
    for name in _CATEGORY_NAMES:
        hits = found.get(name)
        if not hits:
            continue
        categories += name != "call"
        pitch += len(hits) if name not in ("call", "offer") else 0
        weight = (
            min(0.15 * len(hits) + 0.1, 0.45) if name not in ("call", "offer") else min(0.1 * len(hits), 0.3)
        )
        score.add(name, ",".join(sorted(hits)[:4]), weight)
    strong = {m.group(1) for m in _STRONG.finditer(compact)} | {m.group(1) for m in _STRONG.finditer(text)}
    if strong:
        pitch += 2
        score.add("ad_phrase", ",".join(sorted(strong)[:4]), min(0.45 * len(strong), 0.9))
    if categories >= 2:
        score.add("trades", str(categories), 0.2 * (categories - 1))
    emojis = len(_EMOJI_HOOK.findall(sample.text))
    if emojis >= 3:
        score.add("emoji_hooks", str(emojis), 0.2)
    for pattern in policy.keywords:
        found = pattern.search(text) or pattern.search(compact)
        if found:
            score.add("keyword", found.group(0)[:30], 1.0)

    wrong = _WRONG_CONTACT.search(text) or _WRONG_CONTACT.search(compact)
    if not wrong and (_MET_BEFORE.search(text) or _MET_BEFORE.search(compact)):
        wrong = _WHO_ASKED.search(text) or _WHO_ASKED.search(compact)
    if wrong and (_APOLOGY.search(text) or _APOLOGY.search(compact)) and not _ABOUT_OPENERS.search(text):
        score.add("stranger_opener", wrong.group(1), 1.0)
    elif (
        (_BEFRIEND.search(text) or _BEFRIEND.search(compact))
        and (work := _INVESTMENT_WORK.search(text) or _INVESTMENT_WORK.search(compact))
        and not _ABOUT_OPENERS.search(text)
    ):
        score.add("stranger_opener", work.group(1)[:30], 1.0)
    if "qr" in text or "код" in text or "كود" in text:
        if qr := _QR_BAIT.search(text):
            score.add("qr_bait", qr.group(1)[:30], 0.6)
    # What the sender says, not what they quote: the quoted words are someone else's.
    told = _QUOTED.sub(" ", text) if any(mark in text for mark in _QUOTE_MARKS) else text
    told_compact = compact if told == text else compact_of(told)
    if pay_first := _PAY_FIRST.search(told) or _PAY_FIRST.search(told_compact):
        score.add("pay_first", pay_first.group(1)[:30], 0.5)
    elif (fee := _JOB_FEE.search(told)) and _JOB_WORDS.search(told):
        if _MINIMISED.search(told[max(fee.start() - 12, 0) : fee.end() + 20]):
            # A job whose applicant pays, the fee named with its amount and made light of ("only",
            # "pay a"): the recruitment scam's. A fee reimbursed or asked about is not.
            score.add("job_fee", fee.group(0)[:30], 0.5)
    gains = _GAINS.search(told) or _GAINS.search(told_compact)
    shared = score.asks_privately or score.has("hidden_link")  # the link behind words is the way
    if gains and not shared and score.has("trade_name"):
        # A handle named for the trade ("@rahul_sir_trading", "@kimceo_coin") after the gains: the
        # way to the one who made them, as a link behind words is.
        shared = True
    if gains and not shared and score.has("link"):
        # A sign-up link with the inviter in it ("/r/maria22", "/convite/ana88", "?ref="): the way.
        shared = _REF_PATH.search(text) is not None or any(_REF_PATH.search(x.url) for x in sample.links)
    if gains and (shared or _SHARE_OFFER.search(told) or _SHARE_OFFER.search(told_compact)):
        # Money made ("已经提现两次了", "withdrew $870 on monday") and the way to it offered: the
        # testimonial that recruits, however it is asked ("is this legit?").
        score.add("gains_story", gains.group(1)[:30], 0.5)
    money = gains or score.has("pay_first", "job_fee", "crypto", "loan", "gambling", "income", "ad_phrase")
    reachable = score.asks_privately or score.has(*_CONCRETE_REACH, "contact_word")
    # Searched only where it could count: most messages name no money and no way to the sender.
    if money and reachable and (vouched := _VOUCHES.search(told) or _VOUCHES.search(told_compact)):
        # The seller vouching for the money in it, with the way to them: "绝对不是诈骗 ... 私我".
        score.add("vouching", vouched.group(0).strip()[:20], 0.3)
    promo = _SELF_PROMO.search(text)
    if promo and (score.known_hosts or score.has("link", "hidden_link", "username", "tme_link")):
        score.add("self_promo", promo.group(1)[:30], 0.5)  # its link is the way to it
    # Reachability makes the words an ad; words without a way to reach anyone count less.
    reach = score.has(
        *_CONCRETE_REACH, "contact_word", "dm_request", "search_hint", "profile_hint", "stranger_opener",
        "self_promo", "qr_bait", "gains_story", "pay_first", "job_fee",
    )
    # The pitch as a whole, for trades the word lists do not name (plugins.ads.pitch).
    likeness = pitch_logit(norm, meant=policy.meaning)
    if likeness >= PITCH_STRONG and score.known_hosts:
        # A whitelisted site (a video, a profile) under a pitch the model is sure of: the way
        # to reach the seller is there all the same.
        score.add("known_link_pitch", score.known_hosts[0], 0.3)
        reach = True
    # A channel's post forwarded (news, a weather warning) is an ad when the channel is named
    # for a trade or the post pitches one.
    if score.has("channel_forward") and (
        score.has("trade_name") or likeness >= FORWARD_PITCH or pitch >= 2
    ):
        reach = True
    soft = score.asks_privately or score.has("profile_hint", "search_hint")
    soft = soft or score.detail("contact_word") in _DM_WORDS
    # A pitch that only a quotation makes ("mine was 'hello dear, I am a professional trader…'") is
    # the quoted spammer's: words alone reach nobody then, and a warning quoting it stays one.
    own = likeness
    if likeness >= WARNING_PITCH and _QUOTED.search(sample.text):
        own = pitch_logit(normalize(_QUOTED.sub(" ", sample.text)), meant=policy.meaning)
    # A member's own things (a sublet, a used bike, "出闲置"): the words sell, but only a way to
    # reach a seller named in the message makes it an ad; the pitch counts for nothing.
    own_goods = bool(_OWN_GOODS.search(text) or _OWN_GOODS.search(compact)) and not _AGENCY.search(compact)
    kin = _KIN_BUSINESS.search(text) or _KIN_BUSINESS.search(compact)
    stake = kin or _OWN_SHOP.search(compact) or "ref=" in text or "ref/" in text or score.has("referral_code")
    recommended = bool(_RECOMMENDATION.search(text) or _RECOMMENDATION.search(compact)) and not stake
    if kin and score.has(*_CONCRETE_REACH):
        # A relative's or friend's business with the way to reach it: the sender sells for them,
        # however plainly the words read ("my cousin runs a moving company, his number is ...").
        score.add("kin_business", kin.group(1)[:30], 0.5)
    own_work = bool(_OWN_WORK.search(text) or _OWN_WORK.search(compact)) and not score.has(
        "crypto", "loan", "gambling", "adult", "ad_phrase", "phishing"
    )
    own_goods = own_goods or recommended or own_work
    # Likewise a promotion of what the admins allowed (their shop's site, a partner's channel).
    allowed = any(n in policy.usernames for n in names) or any(
        _allowed_by_admins(policy, host) for host in score.known_hosts
    )
    if own_goods or allowed:
        own_goods = True
        own = 0.0
    # A member asking whether a site is safe pitches nothing, whatever its words ("is csfloat
    # safe to sell skins?"); a testimonial asking so tells its gains.
    alone = own >= PITCH_ALONE and not (_ASKS_IF_SAFE.search(text) and not gains)
    sure = (soft and own >= PITCH_SURE) or alone
    reach = reach or alone
    cap = PITCH_CAP if sure or score.has(*_CONCRETE_REACH) else PITCH_CAP_UNREACHABLE
    pitched = own if own_goods else likeness
    score.add("pitch", f"{likeness:+.1f}", max(min(PITCH_WEIGHT * (pitched - PITCH_EVEN), cap), 0.0))
    words = score.has(
        "ad_phrase", "gambling", "crypto", "loan", "income", "health", "adult", "phishing", "gains_story",
        "pay_first", "kin_business", "thanked_handle", "job_fee",
    )
    words = words or pitched >= PITCH_WORDS
    if not words and score.has("channel_forward") and _at_most(text, 2, 4):
        # A post of a channel named for a trade that says nothing of its own ("📈", "🔥", "results
        # speak"): a teaser for the channel, whose name is the pitch. A news or market channel's
        # post forwarded says what happened ("the weekly market recap is out"), and a news channel's
        # bare "📈" is its headline's chart, not a teaser ("@crypto_news_daily").
        channel = score.detail("channel_forward")
        words = not _NEWS_NAME.search(channel) and ("trade_name", channel) in score.seen
    if not words and score.has("channel_forward") and not sample.links and _at_most(text, 6, 8):
        # A deals channel's post that is a headline and names no price ("Big drop on mini PCs
        # today", "Лучшие предложения дня 🔥", "新品团购开车啦"): what is on offer is in the channel,
        # whose name is the pitch. A deal passed on names its price ("Switch OLED down to $249") or
        # links its shop; a neighbourhood's group buy says what its list holds.
        channel = score.detail("channel_forward") or ""
        deals = _DEALS_NAME.search(_HOLDS_TRADE_WORD.sub(" ", channel))
        reported = _NEWS_NAME.search(channel) or _OWN_PLACE.search(channel)
        if deals and not reported and not _DIGIT.search(text):
            score.add("trade_name", channel, 0.3)
            words = reach = True
    concrete = score.has(*_CONCRETE_REACH)
    price = _PRICE.search(text) if concrete and not recommended else None
    if price:
        # A price with a way to reach the seller: something is for sale.
        score.add("price", price.group(0), 0.2)
        words = True
    # "DM me" alone names nobody to reach: with a word or two of a trade it is as often a
    # member's own offer (a job opening, a used bike) as an ad; a pitch or a disguise is not.
    only_talk = not score.has(*_CONCRETE_REACH, "channel_forward")
    if only_talk and pitch < 2 and likeness < PITCH_STRONG and not sure:
        words = False
    if reach and words:
        score.add("reach_and_pitch", "", 0.3)
    elif (
        reach
        and score.has("offer", "call")
        and score.has(
            "channel_forward", "shortener", "hidden_link", "phone", "username", "contact_word",
            "hidden_number",
        )
        and (not only_talk or score.has("evasion"))
        and not score.only(_PAGE_SHARED)
    ):
        score.add("reach_and_call", "", 0.3)
    # (A customer's word about a tradesman gives his number: no call to ring the sender.)
    rings = score.has("phone", "hidden_number") and _PHONE_CALL.search(bare) is not None
    rings = rings and not _DONT_CALL.search(bare)
    if rings and not numbers_context and not recommended:
        score.add("phone_to_call", "", 0.3)
    if policy.strict and reach:
        score.add("new_member", "", NEW_MEMBER_WEIGHT)
    keyword = score.has("keyword")  # an admin's own rule stands whatever else
    if score.only(_PAGE_SHARED) and not keyword and score.total() >= policy.threshold:
        # A page shared behind words, "free" and "link" beside it, and nothing else: no call.
        score.hold_under("page_shared", "", policy.threshold)
    if not reach and not keyword and score.total() >= policy.threshold and not _POINTER.search(text):
        # Words alone, however many, pointing at nothing attached: nobody to reach.
        score.hold_under("nobody_to_reach", "", policy.threshold)
    # A warning may name the spammer's link or account; one that gives a number or an id to
    # write to is the sender's own offer ("别信骗子，找我才靠谱，微信 zhuan_888").
    own_contact = score.has("contact_id", "phone", "email", "hidden_number", "wallet", "referral_code")
    named_only = own < WARNING_PITCH and not own_contact
    if (not concrete or named_only) and not keyword and score.total() >= policy.threshold - 0.1:
        # Talk about spam or a rule against it names no one to reach: never an ad. ("不是骗子",
        # "no scam", "无广告" are a seller's reassurance, no warning.)
        warning = _WARNING.search(compact) or _WARNING.search(text)
        if warning and warning.group(1) == "reported" and _REPORTED_SCAM.search(text):
            # "I accidentally reported you" is the scam's opening, no member's warning.
            warning = _WARNING.search(_REPORTED_SCAM.sub(" ", text))
        if (
            warning and own < WARNING_OVERRULED and not score.has("gains_story")
            and not _NOT_A_WARNING.search(compact + " " + text)
        ):
            score.add("warning", warning.group(1), min(-0.6, policy.threshold - 0.1 - score.total()))
    direct = score.has("contact_id", "invite", "tme_link", "discord_invite", "url_button", "via_bot")
    direct = direct or score.has("crypto", "loan", "gambling", "ad_phrase")  # "lost wallet? we recover it"
    # A notice the models read as a pitch is an ad wearing one: the lost dog, and "by the way" the
    # sender's pet shop.
    if not keyword and not direct and likeness < PITCH_STRONG and score.total() >= policy.threshold - 0.1:
        notice = _NOTICE.search(text) or _NOTICE.search(compact)
        if not notice and not score.has(*_NOT_PLAINLY_A_MEMBERS):
            notice = _COLLECTION.search(text) or _COLLECTION.search(compact)
        if notice:
            score.add("notice", notice.group(1), min(-0.6, policy.threshold - 0.1 - score.total()))
    if not keyword and score.total() >= policy.threshold - 0.1:
        trade = score.has("crypto", "loan", "gambling", "adult", "income", "ad_phrase")
        # A member's plain words: no trade named, no pitch, nothing a member would not write.
        plainly = not trade and likeness < PITCH_WORDS and not score.has(*_NOT_PLAINLY_A_MEMBERS)
        if allowed := _ADMINS_ALLOWED.search(text):
            score.add("said_allowed", allowed.group(1)[:30], -0.6)
        elif not trade and score.has("invite", "discord_invite", "tme_link") and (
            split := _SPLIT_OFF.search(text) or _SPLIT_OFF.search(compact)
        ):
            score.add("sister_group", split.group(1)[:30], -0.6)
        elif not trade and (
            score.has("invite", "discord_invite", "tme_link") or _REF_PATH.search(text) is not None
        ) and (asked := _ASKED_FOR.search(text)):
            # An invite or a referral link a member asked for ("you asked for a hetzner ref earlier").
            score.add("asked_for", asked.group(1)[:30], -0.6)
        elif not trade and likeness < PITCH_STRONG and (
            check := _ENTRY_CHECK.search(compact) or _ENTRY_CHECK.search(text)
        ):
            # Who joins is asked who they are (a flat, a child's class): the group's own admin.
            score.add("entry_check", check.group(1), min(-0.6, policy.threshold - 0.1 - score.total()))
        elif plainly and (
            answered := _ANSWERED.search(text) or _ANSWERED.search(compact) or _asked_for_one(sample.answers)
        ):
            # The member answers a question asked in the group (said so, or the message replies to
            # it): their offer, or the provider they name, was asked for. A pitch is no answer:
            # the locksmith's "24hr, no call-out charge, uPVC specialists" replies to be seen.
            score.add("answered", answered.group(1)[:30], -0.4)
        elif plainly and not stake and (referred := _REFERRED.search(text) or _REFERRED.search(compact)):
            # A customer's word passing on the provider's contact, plainly written: the contact
            # weighs less. (A disguised number, a hidden link or an invite is no customer's.) Read
            # only here, near the threshold: most messages never come this far.
            score.add("customer_referral", referred.group(1)[:30], -0.4)
    if not keyword and likeness < READS_ORDINARY and score.total() >= policy.threshold and (
        score.only(_PLAINLY_SAID)
    ):
        # A number, a link or a price said plainly, in words the models are sure are a member's
        # (the handyman's number and what he charged, the clinic's fee, a lost wallet's reward):
        # the signals add up to the threshold, but nothing in them is a seller's.
        score.hold_under("reads_ordinary", f"{likeness:+.0f}", policy.threshold)
    return Verdict(score.total(), tuple(score.reasons), policy.threshold)


_WORD = re2.compile(r"[\pL]+")
# A channel named for the news it reports, in the languages of the groups.
_NEWS_NAME = _re(r"news|novosti|noticias|nachrichten|xinwen|zixun")
_HAN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


# A neighbourhood's, a school's or a club's own channel: its group buys are the members' own.
_OWN_PLACE = _re(r"xiaoqu|shequ|linli|neighbou?r|residents|school|campus|club")
# A channel named for deals, in the languages of the groups.
_DEALS_NAME = _re(r"deals?|youhui|tuangou|haojia|nakhodk|skidk|kupon|coupons?")


def _at_most(text: str, words: int, han: int) -> bool:
    """No more than ``words`` words and ``han`` Chinese, Japanese or Korean characters: two and four
    say nothing (an emoji, a figure, a teaser's "results speak"), six and eight make a headline."""
    return len(_HAN.findall(text)) <= han and len(_WORD.findall(_HAN.sub(" ", text))) <= words


def _judge_contacts(score: _Score, policy: Policy, text: str, bare: str, compact: str) -> bool:
    """Ways to reach the sender privately: an id after a messenger's name, a phone number, an
    e-mail address, a sign-up code, a pointer to a profile or an account to search for. Each
    pattern runs only on text that holds what it needs. Returns whether the numbers in the
    text read as order, tracking or issue numbers (they then weigh little)."""
    digits = len(_DIGIT.findall(bare))
    numbers_context = digits >= 5 and bool(_NUMBER_CONTEXT.search(bare))
    contact = False
    letter = _LETTER_ID.search(bare) if ":" in bare or "：" in bare else None
    if letter and letter.group(0).lstrip(" \t\n([").startswith("q") and not letter.group(1).isdigit():
        letter = None  # a QQ number is digits: "Quick Q: anyone used Wise?" asks a question
    if not letter and not bare.isascii():
        letter = next(
            (m for m in _DECORATED_LETTER_ID.finditer(bare) if any(c in "0123456789_-" for c in m.group(1))),
            None,
        )
    if letter:
        score.add("contact_id", letter.group(0).strip()[:40], 1.0)
        contact = True
    for found in _CONTACT_ID.finditer(bare):
        if contact:
            break
        ident = found.group(5)
        if policy.username_ok(ident) or ident in ("https", "http") or not _looks_like_id(found):
            continue
        if _after_order_number(bare, found.start()):
            continue
        if ident.isdigit() and _NUMBER_GOES_ON.match(bare, found.end(5)):
            # "联系我 07911 123456": the first group of a phone number, which is weighed as one
            # (a finder asked to ring about a lost wallet is no seller's id).
            continue
        score.add("contact_id", found.group(0).strip()[:40], 1.0)
        contact = True
    if not contact:
        found = _CONTACT_ID_COMPACT.search(compact)
        word = found.group(0)[:2] if found else ""
        if found and word.isascii() and not _standalone(word, bare):
            found = None  # a word that only begins so: French "qqn a compris" ("quelqu'un")
        elif found and _after_order_number(compact, found.start()):
            found = None
        if found:
            score.add("contact_id", found.group(0)[:40], 1.0)
            contact = True
    marked = digits or "_" in bare  # an id in pieces or backwards has a digit, "_" or "."
    if not contact and marked and (hint := _JOIN_HINT.search(bare)):
        pieces = _PIECES_BEFORE.search(bare[max(hint.start() - 80, 0) : hint.start()])
        joined = "".join(pieces.group(1).split()) if pieces else ""
        id_like = len(joined) >= 5 and any(c.isdigit() or c == "_" for c in joined)
        if id_like and not policy.username_ok(joined):
            score.add("contact_id", f"{joined} ({hint.group(1)})", 1.0)
            contact = True
    if not contact and (halves := _HALVES.search(bare)):
        joined = halves.group(1) + halves.group(2)
        if len(joined) >= 5 and not policy.username_ok(joined):
            score.add("contact_id", f"{joined} ({halves.group(0)[:20]})", 1.0)
            contact = True
    # A messenger named (Thai "ออนไลน์", online, holds LINE's "ไลน์" and names none).
    latin = _CONTACT_LATIN.search(bare.replace("ออนไลน์", "online") if "ออนไลน์" in bare else bare)
    if latin and latin.group(1) == "signal" and _WARNING_SIGNAL.search(bare):
        latin = None  # "typhoon signal 8": a warning's number, not the messenger
    cjk = _CONTACT_CJK.search(compact)
    if cjk and cjk.group(1) == "频道" and "#" in bare:
        # "报名在#活动 频道": a channel of the server, named with its "#", is no way to the sender
        # (another "频道" in the text, "进我频道", still is).
        if compact.count("频道") == len(_SERVER_CHANNEL.findall(bare)):
            cjk = _CONTACT_CJK.search(compact.replace("频道", " "))
    messenger = latin or cjk
    if not contact and (marked or "." in bare or messenger) and (hint := _REVERSE_HINT.search(bare)):
        # The token after the hint first ("倒过来念：ecnarfsupmac"), then any before it.
        for token in _TURNED_TOKEN.findall(bare[hint.end():]) + _TURNED_TOKEN.findall(bare[: hint.start()]):
            # After a messenger's name a word of letters read backwards is its id as well.
            marks = any(c.isdigit() or c in "_." for c in token) or (messenger and len(token) >= 6)
            if any(c.isalpha() for c in token) and marks:
                score.add("contact_id", f"{token[::-1]} ({hint.group(1)})", 1.0)
                contact = True
                break
    if not contact and "#" in bare:
        tag = _DISCORD_TAG.search(bare)
        if tag and not _ORDER_NAME.search(tag.group(1)):
            score.add("contact_id", tag.group(0).strip()[:40], 1.0)  # a Discord name with its tag
            contact = True
    if not contact:
        found = _QQ_NUMBER.search(bare) if digits >= 5 and not numbers_context else None
        if not found and ("add" in bare or "加我" in bare):
            found = _ADD_ME.search(bare)
        if found:
            score.add("contact_id", found.group(0).strip()[:40], 1.0)
            contact = True
    if not contact and (digits or "_" in bare) and not bare.isascii():
        found = _PLATFORM_ID.search(bare)
        if found:
            score.add("contact_id", found.group(0).strip()[:40], 1.0)
            contact = True
    if not contact and (digits or "_" in bare or "live:" in bare):
        for found in _CONTACT_NEAR.finditer(bare):
            ident = found.group(1)
            if len(ident) < 5 or _AMOUNT.match(ident):
                continue  # "v = v0 + at": a formula, not an account; "rm1800" a price
            if found.start(1) and bare[found.start(1) - 1].isalnum():
                continue  # the tail of a word: "10am-12pm" holds no id "am-12pm"
            if _ONE_DIGIT_WORD.fullmatch(ident):
                continue  # a word with a digit for a sound or a repeat: "mesta3mal", "teman2"
            if not policy.username_ok(ident) and not _ORDER_CONTEXT.search(found.group(0)):
                score.add("contact_id", found.group(0).strip()[:40], 1.0)
                contact = True
                break
    pointed = None
    if not contact:
        pointed = _ON_PICTURE.search(bare) or _ON_PICTURE.search(compact)
        if not pointed and (":" in bare or "：" in bare):
            pointed = _LETTER_POINTER.search(bare)  # "薇：看签名", "w: see bio"
        if not pointed and messenger:
            pointed = _SAME_NAME.search(bare) or _SAME_NAME.search(compact)
    if pointed:
        # The id is where every member can read it, a way to the sender as sure as the id.
        score.add("contact_elsewhere", pointed.group(0).strip()[:30], 0.6)
    elif not contact and messenger:
        word = latin.group(1) if latin else cjk.group(1)
        handle = _HANDLE.search(bare) if digits else None
        if handle and not policy.username_ok(handle.group(1)) and not _AMOUNT.match(handle.group(1)):
            # "号我放这了 cl_2580v …… 走的是薇信": the id and the messenger apart.
            score.add("contact_id", f"{word} … {handle.group(1)}", 0.8)
        else:
            score.add("contact_word", word, 0.35)
    if "@" in text or "#" in text or "[at]" in text or "(at)" in text:
        for found in _EMAIL.finditer(text):
            mailbox, host = found.group(1), found.group(2)
            if _idna(host) in _EXAMPLE_DOMAINS or mailbox in _SOCIAL_NETWORKS or not _known_tld(host):
                # reserved for examples (code and docs), or a handle named ("Instagram @a.b"):
                # never a mailbox
                continue
            if mailbox in _ROLE_MAILBOX and policy.domain_ok(_idna(host)):
                continue
            # A role's mailbox at an organisation's own domain ("careers@bakery.co.uk") is how
            # an employer or a venue is written to, a reach half as telling as a person's.
            own_domain = mailbox in _ROLE_MAILBOX and _site(_idna(host)) not in _FREE_MAIL
            score.add("email", f"{mailbox}@{host}", 0.3 if own_domain else 0.6)
    if (
        "code" in bare or "码" in compact or "口令" in compact or "ma " in bare
        or any(c in text for c in "¥$€")
    ):
        referral = _REFERRAL.search(bare) or _REFERRAL.search(compact)
        if referral:
            score.add("referral_code", referral.group(0).strip()[:30], 0.6)
    dm = _DM_REQUEST.search(text) or _DM_REQUEST.search(compact)
    if dm:
        score.asks_privately = True
        if not score.has("contact_word"):  # "私聊我" after "微信": one way to reach, said twice
            score.add("dm_request", dm.group(1), 0.3)
    if any(word in text for word in _SEARCH_WORDS):
        pointer = _SEARCH_POINTER.search(text)
        said = pointer.group(1) if pointer else ""
        quoted = said.startswith(("search", "google")) and any(q in said for q in "\"“'‘")
        if pointer and (pointer.group(1)[-1] in "「【“\"《:：@" or quoted):
            score.add("search_pointer", pointer.group(1), 0.6)  # a name to search for
        elif pointer:
            score.add("search_hint", pointer.group(1), 0.35)  # "关注公众号": maybe the group's own
    if any(word in text for word in _PROFILE_WORDS):
        profile = _PROFILE.search(text) or _PROFILE.search(compact)
        if profile:
            score.add("profile_pointer", profile.group(1), 0.5)
        elif hint := _PROFILE_HINT.search(text) or _PROFILE_HINT.search(compact):
            score.add("profile_hint", hint.group(1), 0.2)
        if score.has("profile_pointer", "profile_hint") and (treat := _HELP_YOURSELF.search(compact)):
            # Something to take from the sender's profile ("主页有福利 自取"): the bait of a lead.
            score.add("profile_bait", treat.group(0), 0.5)
    if "line" in bare and not contact:
        found = _LINE_ID.search(bare)
        if found and not policy.username_ok(found.group(1) or found.group(2)) and not _line_noun(bare, found):
            score.add("contact_id", found.group(0).strip()[:40], 1.0)
    if digits >= 10:
        wallet = _WALLET.search(text)
        if wallet:
            score.add("wallet", wallet.group(1)[:12] + "...", 0.6)
    if ".apk" in text and (package := _APK.search(text)):
        # An app to install from a chat ("Undangan_Digital.apk", "Konfirmasi_Alamat_Kurir.apk"):
        # the stolen-banking-app scam's way in.
        name = package.group(1)
        score.add("apk_file", name[:40], 1.1 if _DOCUMENT.search(name) else 0.5)
    if "$" in text:
        cashtag = _CASHTAG.search(text)
        if cashtag:
            score.add("cashtag", cashtag.group(1), 0.6)
    if digits >= 7 and _INSTITUTION.search(bare):
        # An office's number passed on (the property manager's, a class teacher's): no seller's.
        return True
    if digits >= 7:
        # One number is weighed once: as the id after a messenger's name ("WhatsApp 9387 2241"),
        # or by the first pattern that reads it ("+1 720 555 0182" holds "720 555 0182").
        taken = [_DIGITS_ONLY.sub("", score.detail("contact_id") or "")]
        for pattern, weight in (*_PHONES, (_PHONE_LOCAL, 0.5)):
            for found in pattern.finditer(bare):
                number = _DIGITS_ONLY.sub("", found.group(1))
                if (
                    any(number in seen for seen in taken if seen) or number.endswith(_PLACEHOLDER_NUMBER)
                    or _in_code(bare, found.start(1), found.end(1))
                ):
                    continue
                taken.append(number)
                local = pattern is _PHONE_LOCAL
                score.add("phone", found.group(1), 0.2 if numbers_context and not local else weight)
    return numbers_context


# A quotation of a dozen characters or more, its marks set apart from words ("don't" is none).
# Straight quotes need a word's edge around them ("don't" is no quotation); curly and corner
# quotes do not ("有人发“免考拿证，加V…”这种").
_QUOTED = re.compile(
    r"(?:^|(?<=[\s:：,，(]))[\"'][^\n]{12,}?[\"'](?=$|[\s.,!?;:)，。！？—])|“[^\n]{12,}?”|‘[^\n]{12,}?’"
    r"|「[^\n]{12,}?」|『[^\n]{12,}?』|«[^\n]{12,}?»|„[^\n]{12,}?“"
    # Chinese says in six characters what English says in twelve: "有人私聊说“带你炒U日赚3%”".
    r"|[“「][\u3400-\u9fff][^\n”」]{5,}?[”」]"
    # A line quoted as Discord and Markdown quote it: "> join our new smp!! free ranks", then the
    # member's word about it.
    r"|(?m:^>[ \t]?[^\n]{12,}$)"
)
# (The straight single quote too since round 45: "It says 'your account has been flagged, verify
# at ...'. DO NOT click": the pattern read it, but the message was never handed to it.)
_QUOTE_MARKS = ("“", "‘", "「", '"', "'", "«", "„", ">")
# A member's own things for sale, once: "selling my old monitor", "pickup only", "出闲置", "原价转".
_OWN_GOODS = _re(
    r"(selling my (?:old|used|spare|extra)|selling my [a-z0-9]+(?: [a-z0-9]+)? (?:since|because|as i)|"
    r"pick ?up only|since i'?m moving|moving (?:sale|out|back home)|出闲置|闲置出|原价转|"
    r"临时有事|临时去不了|临时不能去|自取|自提|面交|回国清仓|搬家清仓|转(?:一台|一个|一部|个)?自用|"
    r"我们小区的?(?:团购|业主)?群|"
    r"subletting my|sublet my|(?:room|spare room) (?:available )?in my|my room in|"
    r"转租|分租|招室友|房东是我本人|我是房东|我系业主|我是业主|中介勿扰|唔经中介|又貸し|一部屋空き|交收|"
    r"รับเอง|มือสอง|นัดรับ|que nao (?:serve|servem) mais|pelo preco que paguei|al precio que pague|"
    r"(?:ingresso|entrada|bilhete)s? sobrando|not an agent|just my neighbou?r|本人自己的|不通过 ?agent)"
)
# A customer telling of a service they used ("we used Mike from Bayside Plumbing", "上次给我家修
#水管的王师傅", "搵開一個陳師傅"): the number is the tradesman's, the words a neighbour's advice.
_RECOMMENDATION = _re(
    r"((?:^|[^a-z])(?:we use|(?:we|i) (?:used|hired|went with|called))\b|not mine,? just sharing|"
    r"(?:io )?ho usato|mi sono trovat[oa] bene con|j'ai (?:utilise|fait appel a)|on a pris|"
    r"(?:did|fixed|replaced|cleaned|moved|repaired) "
    r"(?:my|our)\b|(?:给|帮|替)我家|我(?:之前|以前|上次|上个月|去年)(?:用|找|请|搵|揾)|我搵開|我揾开|医我|医得我|"
    r"我们家(?:请|找|用)的|我(?:个|嘅)(?:仔|女)(?:跟|上|读)|我成日(?:去|揾|帮衬)|"
    r"(?:^|[^a-z])saya (?:selalu )?(?:guna|pakai|pergi)\b|(?:^|[^a-z])anak (?:saya|jiran saya)\b|"
    r"我用开|用过的|找过的|"
    r"推荐一下(?:上次|之前|我家)|我用了[一二两三四五六七八九十几0-9]+年|(?:i|we) always go to|"
    r"been doing (?:my|our)\b|我一直(?:找|去|用)|(?:我们|我家|我)(?:上次|去年|上个月|之前|以前|一直)?"
    r"(?:找的|用的|请的|去的|装修的)|我(?:上过|住过|去过)|修我家|"
    r"我(?:女儿|儿子|孩子|家孩子)的.{0,6}(?:老师|医生)|"
    r"(?:has|have|'s) been (?:cleaning|doing|teaching|tutoring) (?:for )?(?:our|my|us)|"
    r"(?:my|our) (?:son|daughter|kid|boy|girl)s? went from|"
    r"(?:cleans|teaches|tutors) (?:for )?(?:us|our|my)\b|"
    r"(?:my|our) (?:son|daughter|kid|boy|girl|family)'?s? (?:tutor|teacher|dentist|doctor|vet)|our tutor\b|"
    r"(?:my|our) family goes to|(?:had|have) a great experience with|(?:he|she|they) (?:fixed|did|cleaned|"
    r"repaired|replaced) (?:our|my)|(?:my|our) (?:son|daughter|kid)s? had\b|recommending (?:my|our)\b|"
    r"(?:my|our) (?:cleaner|hairdresser|barber|nanny|plumber|electrician|mechanic|tailor|babysitter)\b|"
    r"(?:him|he|she) fix(?:ed)? (?:my|our)\b|e worth am|tell (?:am|him|her) say|我家的.{0,4}师傅|"
    r"就说是.{0,10}(?:介绍|推荐)的|说是.{0,8}(?:介绍|推荐)的|"
    r"bilang (?:aja )?dari (?:grup|group)|(?:our|my) (?:daughter|son|kid)s? (?:works|worked) with|"
    r"recommendation:|我(?:去年|之前|上次|前年)找的|我家孩子在(?:那|这)|"
    r"(?:tell|say) (?:them|him|her) (?:i|we) sent you|bilang (?:dari|temen) saya|"
    r"上次来我家|(?:人|师傅)(?:很|挺|超)靠谱|谢谢楼上|楼上说的|(?:他|她)的(?:电话|手机号?)是|跟(?:他|她)约|"
    r"(?:^|[^a-z])i had (?:lessons|sessions|classes) with\b|(?:he|she)'?s great with|"
    # What a service did for the member who used it: "saved me so much stress", "saved us a ton of hassle".
    r"saved (?:me|us) (?:so much|a lot of|a ton of|tons of) (?:stress|hassle|headaches?|trouble|paperwork))"
)
# A customer passing on a tradesman's or a teacher's contact: who to say sent you ("就说是一诺妈妈介绍
# 的", "話係教會朋友介紹", "mention Alex's group"), the provider named in the third person ("老板娘姓周",
# "她微信 amy_eng_tutor", "his number is"). The number is the provider's, the sender a customer.
# ("Ask for …" is not among them: "ask for the price list" is a seller's.)
_REFERRED = _re(
    r"((?:说|话|讲)(?:是|系)?[^，。,.!?\n]{1,12}(?:介绍|推荐)|"
    r"(?:你|就|可以)(?:说|话)(?:是|系)[^，。,.!?\n]{1,12}(?:的|嘅)(?:就|$|[，。,.! ])|"
    r"(?:说|话)(?:是|系)?[^，。,.!?\n]{1,10}(?:群|会|团|班|团契|教会)(?:的|嘅)?(?:朋友)?"
    r"(?:有|打)(?:优惠|折|[一二三四五六七八九]折)|"
    r"(?:老板娘?|师傅|老师|医生|教练|治疗师)(?:叫|姓)|(?:他|她|佢)(?:的|嘅)?(?:电话|微信|vx|手机|whatsapp|line)|"
    r"我(?:都是|一般都?)(?:叫|揾|找)|我用开(?:𠮶|那)?个?叫|"
    r"mention (?:[a-z]+'?s |the |our |this )(?:group|chat|server|club)|"
    r"(?:his|her|their) (?:number|phone|mobile|cell|email|whatsapp|line|ig|instagram) is\b|"
    r"friend of (?:a )?friend|tell (?:him|her|them) (?:you'?re from|[a-z]+ sent you)|"
    r"chiedi(?:te)? di (?:lui|lei)|de (?:mi|nuestra|ma|notre) part|"
    # Praise of a provider in the third person: "he's thorough", "honest bloke", "she did ours".
    r"(?:he|she|they)(?:'s| is| are| was| were) (?:so |really |very |super |always )?(?:great|lovely|"
    r"wonderful|thorough|brilliant|amazing|patient|sound|honest|reliable|fab|fantastic)\b|"
    r"(?:honest|sound|proper sound|lovely|nice) (?:bloke|guy|lady|woman|chap|fella)\b|"
    r"(?:did|done|built|fixed|cleaned|sorted|serviced) ours\b|(?:came|come) (?:out )?(?:for|to) us\b|"
    # Past praise of a service had: "Lauren was great", "they were really patient", "did 4 sessions
    # with us", "she's done ours for 2 years", "does a few of us on Station Road".
    r"(?:was|were) (?:so |really |very |super |absolutely )?(?:great|lovely|wonderful|thorough|brilliant|"
    r"amazing|patient|fab|fantastic|excellent|spot on)\b|(?:sessions?|lessons?) with us\b|"
    r"(?:have|has|'ve|'s) done (?:ours|us|a few of us)|does a few of us|"
    # The provider in the third person: "she charges 30 an hour", "his number is", "ring Janet on".
    r"(?:^|[^a-z])(?:he|she|they) (?:does|did|charges?|charged|comes?|came|tunes?|tuned|teaches|taught|"
    r"staged|pulled|gives?|gave|fixed|fitted|cleaned|sorted|helped|turned up|showed up)\b|"
    r"(?:^|[^a-z])(?:his|her) (?:email|number|phone|mobile|whatsapp) is|(?:ring|call|text) (?:him|her)\b|"
    r"(?:ring|call|text) [a-z]+ on [0-9+(]|"
    # The provider's messenger with a title ("WA beliau", "Zalo cô"), the flat or child to name.
    r"(?:wa|whatsapp|zalo|line|ไลน์) (?:beliau|co|chi|anh|bac|thay)\b|の紹介って|紹介って言え|บอกว่ามาจาก|"
    r"noi la [^.!?\n]{1,20}gioi thieu|"
    # "你提我名字", "报群里名字打九折", "提群名他会给优惠"; a provider's WhatsApp in Spanish ("Su wa 55…").
    r"(?:提|报)(?:我|群里|群)的?名字?|提群名|(?:^|[^a-z])su (?:whatsapp|wa|numero|celular|cel)\b)"
)
# A post the admins allowed, said so: "[Self-promo Saturday]", "posted with mod approval".
_ADMINS_ALLOWED = _re(
    r"(self[- ]?promo (?:saturday|friday|sunday|day|thread|channel|allowed|autoris[a-z]*|permitid[oa])|"
    r"\[self[- ]?promo|#self-?promo|(?:mods?|admins?) (?:approved|ok'?d|allowed)|"
    r"approved by (?:the )?(?:mods?|admins?)|"
    r"(?:with|has) (?:the )?(?:mod|admin)s?'? (?:approval|ok|permission)|#jobs allows|allowed in #|"
    r"(?:posting|posted|postando|publicando|poste) (?:in|no|en|dans) #[a-z-]+|as per the rules|"
    r"conforme as regras|"
    r"#commissions weekly|members'? (?:offers?|deals?|promos?) (?:thread|day|post)|"
    r"with their (?:admins?|mods?)'? (?:ok|okay|blessing|permission)|\(admins? only|仅管理员发)"
)
# A group split in two by its own admins, the first one kept: "this one stays for notices",
# "same rules, same admins", "o grupo geral continua aqui", "管理员还是我". (A scam's "we moved"
# closes the old group instead.)
_SPLIT_OFF = _re(
    r"((?:this|the) (?:one|group|chat|general group) (?:stays|remains|is staying)|stays? (?:here|for)|"
    r"same (?:rules|admins?|mods?|mod team|info)|same (?:posts|content) as|mismos mods|mismas reglas|"
    r"mesm[ao]s? (?:equipe|regras|mods)|نفس فريق الإشراف|aturan sama|grupo aparte|"
    r"单独建了|同样的群规|群规一样|"
    # The group's own channel, announced by its admins.
    r"canal(?:ul)? oficial al grupului|hivatalos csatornaj|canale ufficiale del gruppo|kanal grupy|"
    r"canal officiel du groupe|canal oficial (?:do|del) grupo|offizielle[rn]? kanal der gruppe|"
    r"официальныи канал (?:группы|чата|клуба)|"
    r"(?:grupo geral|este aqui|este) continua|continua aqui|"
    r"group ni (?:kekal|untuk semua)|admin yang sama|管理员还是|本群(?:保留|继续)|"
    r"(?:admins?|mods?) (?:there|here)? ?(?:is|are|too)? ?@[a-z0-9_]+ (?:and|&) (?:me|saya|我))"
)
# An invite a member asked for: "here's the discord you asked for".
_ASKED_FOR = _re(
    r"((?:you|u) asked (?:for|about)|as (?:you )?requested|you wanted the (?:link|invite|server))"
)
# A member answering the one who asked, with their own service: "since you asked", "楼上要做小程序的，
# 我就是干这个的", "since umeuliza" (Swahili), "por ser del curso".
_ANSWERED = _re(
    r"(since (?:you|u) asked|since umeuliza|楼上(?:要|需要|问|说)的?|你问的那?个?|por ser del curso|"
    r"好几个人问|(?:several|a few|some) (?:people|of you) asked|@[a-z0-9_]+ asked (?:in|for|about)\b)"
)
# A question asking the group for a provider, a shop or a teacher ("anyone know a good plumber?",
# "谁有靠谱的水电师傅", "有冇人識好嘅水喉師傅", "¿alguien conoce un fontanero?"): a reply to it answers.
_ASKS_FOR_ONE = _re(
    r"((?:anyone|anybody|does anyone|can anyone|could anyone|has anyone) (?:know|recommend|have|got|use|"
    r"suggest)|any (?:recommendations?|recs|suggestions)|recommend (?:a|an|any|me)|who do (?:you|y'?all) use|"
    r"looking for a (?:good |decent |reliable |cheap )?[a-z]+ ?(?:\?|,|-|recommendations?)|"
    r"谁有|谁知道|有没有(?:人|靠谱|好的|推荐)|求推荐|推荐一下|有冇人识|有冇人知|边个识|"
    r"alguien (?:conoce|sabe|recomienda|tiene)|alguem (?:conhece|indica|sabe|recomenda)|"
    r"kennt jemand|weiss jemand|hat jemand (?:eine|einen)? ?empfehlung|quelqu'?un (?:connait|conna[iî]t|"
    r"aurait|a un)|qualcuno conosce|qualcuno sa|ktos (?:zna|poleci)|кто-?нибудь (?:знает|посоветует)|"
    r"подскажите|посоветуйте|ada (?:yang|yg) (?:tahu|tau|punya|rekomen)|co ai biet|ai biet|誰か|"
    r"누구 ?(?:아시|알)|ใครรู้|ใครมี)"
)


def _asked_for_one(answered: str) -> Any:
    """The question a reply answers, if it asks the group for a provider."""
    if not answered:
        return None
    norm = normalize(answered[:500])
    return _ASKS_FOR_ONE.search(norm.text) or _ASKS_FOR_ONE.search(norm.compact)


# A group's own admins checking who joins: "加我微信，备注孩子班级和姓名", "备注楼栋号".
_ENTRY_CHECK = _re(
    r"(备注(?:孩子|小区|楼栋|楼号|房号|门牌|班级|姓名|真实姓名|业主|几栋|单元)|问你几个问题|"
    r"(?:^|[^a-z])(?:and )?i'?ll add you\b|saya masukkan|(?:que )?eu (?:te )?coloco no grupo)"
)
# A code to scan for money or a prize: the picture is the link ("QR kodu okut, 250 TL kazan").
_QR_BAIT = _re(
    r"((?:scan|okut|escanea|отсканируйте|сканируйте|امسح)[^.\n]{0,20}(?:qr|код|كود)[^\n]{0,60}"
    r"(?:получ|kazan|احصل|recib|gratis|free|bedava|مجان|win|get|claim|\$|₽|tl\b|usdt)|"
    r"(?:qr|код|كود)[^\n]{0,20}(?:scan|okut|escanea|сканир|امسح)[^\n]{0,50}(?:получ|kazan|احصل|recib|gratis|"
    r"free|bedava|مجان|win|get|claim))"
)
_ASKS_IF_SAFE = _re(
    r"(?:^|[^a-z])(?:is|are) (?:[a-z0-9.\-]+ ){0,3}[a-z0-9.\-]+ (?:safe|legit|trustworthy|a scam|reliable)\b"
    r"[^.!\n]{0,60}\?"
)
# Money the sender (or their kin) made: withdrawals, payouts, a sum turned into a bigger one.
# Thanks to a handle ("Thanks to @pawcoach_emma", "感谢 @zhou_laoshi 周老师", "Cảm ơn chị @..."), and
# what it is thanked for: a course, tips, marks up, money made, recommended to all (a member
# thanked "for the recommendation" is not).
_THANKED = _re(
    r"(?:thanks?|thank (?:you|u)|感谢|谢谢|多谢|நன்றி|धन्यवाद|शुक्रिया|cam on|terima kasih|salamat|"
    r"gracias|obrigad[oa]|merci|danke|спасибо|tesekkurler)(?: so much| a lot)?(?: to)?[\s,!:]*"
    r"(?:[^\s@]{1,12}\s+)?@([a-z0-9_]{3,32})"
)
_CREDITED = _re(
    r"(?:got (?:mine|it|them|my [a-z]+(?: [a-z]+)?) back|recovered (?:mine|it|them|my [a-z]+(?: [a-z]+)?)|"
    r"(?:fixed|sorted|solved) (?:this|it|mine)|拿回来了|追回来了|找回来了)"
    r"[^@\n]{0,24}@([a-z0-9_]{3,32})"
)
_ENDORSED = _re(
    r"(highly recommend|推荐给大家|强烈推荐|life.?chang|online course|课程|लाभ|कमाए|லாபம்|lai [0-9]+ trieu|"
    r"signals|mentorship|提到了?[0-9]|提分)"
)
_REF_PATH = _re(r"(?i)/(?:r|ref|invite|convite|referral)/[a-z0-9_\-]{3,}|[?&](?:ref|invite|inviter)=")
_GAINS = _re(
    r"((?:withdr[ae]wn?|withdrawals?|payouts?|cashed out)\b[^.!?\n]{0,30}(?:[0-9$]|twice|times)|"
    r"(?:twice|[0-9]+(?:st|nd|rd|th)?|two|three|four|five|six) (?:withdrawals?|payouts?|times)|"
    r"(?:made|earned|making|got|withdrew) (?:like )?(?:\$|rm|usd)?[0-9][0-9,.]*k?\b"
    r"(?: (?:dollars|bucks|usd))?|"
    r"\$[0-9][0-9,.]*k? ?(?:→|->|to|into) ?\$[0-9]|turned \$?[0-9][0-9,.]*k? into|"
    r"is now \$[0-9]|[0-9]+ ?% (?:daily|a day|monthly|weekly)|"
    r"提现(?:了)?[两三四五六几0-9一二]+次|已经提(?:现|了)|提了[两三四五六几0-9一二]+次|收到了一笔收益|每天(?:返利|收益)|"
    r"一天[0-9.]+%|(?:已经|现在)?(?:翻了|回本)|(?:赚|搵|赚返|赚到)了?[一二两三四五六七八九十几0-9][0-9千万百几多]*|"
    r"收益(?:已经)?[0-9]+ ?%|withdraw [0-9]+ kali|dah keluar duit|untung rm ?[0-9]|rút được|lãi [0-9]+|"
    r"retir[eé] [0-9]|saqu[eé] (?:dos|tres|[0-9])|gan[eé] [0-9]|ganhei [^.!?\n]{0,30}r\$|faturo [0-9]|"
    r"ki[eế]m (?:th[eê]m )?[0-9]|วันละ ?[0-9]|profit [0-9]+ ?jt|jeet(?:e| sakte)|now i (?:earn|make)\b|"
    r"earn passively|kerestem|mi-a dat [0-9]|dostal(?:am|em) [0-9]|zarobil(?:am|em) [^.!?\n]{0,20}[0-9]|"
    r"(?:deja )?retire [0-9]|원금 두 ?배|두 ?배 됐|"
    # A month's earnings told in Korean, Hindi and Hebrew: "한 달에 2천 벌었어요", "monthly 2 lakh
    # kamata hu", "הרווחתי 30,000".
    r"[0-9천만억] ?(?:원 ?)?벌었|kamat[ai] (?:hu|hoon|hun)\b|הרווחתי [0-9]|"
    r"вывел[аи]? [0-9]|вийшло \+?[0-9]|oyiga [0-9]|ماهی [0-9۰-۹]|nimelipwa [0-9]|nimepokea [0-9]|"
    # Put in, and it grew: "1000 TL yatirdim ... 4200 oldu", "250 € eingezahlt ... 900 € ausgezahlt".
    r"deposited \$?[0-9][^.!?\n]{0,40}(?:now|became|turned|withdrew)|yatirdim[^.!?\n]{0,30}oldu|"
    r"(?:colocou|coloquei|metio|meti|puso|invirtio|investiu) (?:[^.!?\n]|\.[0-9]){0,30}"
    r"(?:sacou|saquei|saco|retiro|tirou) [^.!?\n]{0,6}[0-9]|"
    r"eingezahlt [^.!?\n]{0,40}ausgezahlt|nap [0-9]+k? [^.!?\n]{0,30}thanh [0-9]|"
    r"(?:حطيت|وضعت|استثمرت) [0-9]+ [^.!?\n]{0,20}(?:صار|اصبح)|লাগিয়েছি|[0-9]+ لگائے|"
    r"দিনে [0-9]+ টাকা কামা|하루 [0-9]+ ?만원씩? (?:들어|벌))"
)
# An offer to hand the way over: "happy to share", "I can put you in touch", "想了解的私我".
_SHARE_OFFER = _re(
    r"(i'?ll (?:share|send|put|connect|dm)|happy to share|the (?:code|script|bot|method) is free|(?:can|"
    r"could) (?:connect|introduce|put you)|"
    r"put you in touch|send (?:you )?the (?:site|link|name)|"
    r"(?:reply|comment|drop) [^\n]{0,15}(?:and|&) i'?ll|"
    r"if (?:you|u|anyone) (?:want|wanna|need)s? (?:the )?(?:link|contact|details|in)|invite code|"
    r"(?:les|te) paso|nhắn em|(?:quem|se alguem) quiser[^.\n]{0,25}(?:convite|link|saber)|e so pedir|"
    r"ha valaki ker meghivot|megadom az elerhetoseg|vreti invitatie|wysle link|chce wiedziec jak|"
    r"si vous voulez le lien|ใครอยากรู้|mau aku masukin|\bib\b|komen|boleh pm|nak (?:join|link|nombor)|"
    r"我(?:可以)?(?:分享|发|介绍|拉)|找我|私我|私信我|想了解的|一起(?:研究|做|来)|邀请(?:码|链接)|带你|"
    r"(?:kama|ukitaka) (?:unataka|mnataka|mtu anataka)? ?(?:code|link|namba)\b)"
)
# The scams of trades: pay before you get the thing from someone who cannot meet (a landlord
# abroad, tickets sent "once you pay"), or lend your account or address to move money and
# parcels (a money mule). The payment asked for is the way to the sender.
_PAY_FIRST = _re(
    r"(owner (?:is )?(?:abroad|overseas|out of (?:the )?(?:country|town))|i'?m out of town|can'?t meet|"
    r"once you pay|pay(?:ing)? (?:by|via|through) (?:western union|cash app|gift ?cards?)|"
    # The deposit wired before anyone meets: "the deposit via Western Union", "deposit required to hold".
    r"(?:deposit|fianza|deposito|caution|kaution)[^.\n]{0,40}(?:por|via|by|through|par|per) "
    r"(?:western union|moneygram|(?:bank transfer|wire)[^.\n]{0,20}to (?:reserve|hold|secure))|"
    r"deposit (?:is )?required to (?:hold|reserve)|"
    # Friends & family: no buyer protection, the scammer's condition.
    r"friends (?:&|and) family only|(?:paypal )?f ?& ?f only|paypal f ?& ?f|"
    r"keys by (?:post|mail|courier)|(?:send|post|mail) (?:you )?the keys|"
    r"propietario est[aá] fuera|pago (?:anticipado|por adelantado)|"
    r"المالك مسافر|حو[ّ]?ل العربون|الدفع [أا]ولا|chủ nhà đang công tác nước ngoài|chuyển cọc trước|"
    r"เจ้าของอยู่ต่างประเทศ|โอนมัดจำก่อน|"
    r"(?:receive|receiving|reship) (?:parcels|packages|transfers|money)[^.\n]{0,30}(?:forward|send|pass)|"
    r"reship(?:ping)? (?:parcels|packages) from (?:home|your home)|"
    r"(?:rent|lend) (?:out )?(?:your|a|my) bank account|حساب بنكي لاستقبال|يستلم طرود|nhận hàng hộ|"
    r"cho mượn (?:địa chỉ|tài khoản)|只收.{0,6}先付|付完(?:给你)?发|出借银行卡|代收包裹|"
    # Paid by the day for the loan of it: the mule's card, account or number, however named.
    r"借(?:我|给我)用[^。！？\n]{0,10}(?:每天|一天|每日|每周)给你|"
    r"карт[аыу]? (?:нужн[аы] )?в аренду|"
    r"입금 확인 후 (?:순차 )?발송|먼저[^.\n]{0,12}보내주시면|키 우편|(?:gcash |paypal )?payment first|"
    r"bayad (?:muna|first)|paypal (?:entre proches|amici e familiari|amigos e familia)|apres paiement|"
    r"dopo (?:il )?pagamento|pagamento anticipato|po przelewie|elore (?:kell )?fizet|sunt plecat din tara|"
    r"estou emigrado|jestem na kontrakcie|先交.{0,8}定金|付款后截图发我|新的收款码|收款码(?:换|更新|改)了|"
    r"(?:直接)?转至以下账户|请汇款至|(?:先付|要先付|只收)[^。,，]{0,10}(?:处理费|手续费)|priority processing|"
    r"(?:paypal|venmo|zelle|cash ?app|pay|transfer) me (?:[$€£]?[0-9]+ )?(?:first )?(?:and|then) "
    r"i'?(?:ll| will) "
    r"(?:send|email|share|dm))"
)
# A fee the applicant pays, its amount beside it: "Kudin rajista ₦150,000 kawai", "$20 background
# check fee", "सिर्फ मेडिकल फीस ₹15,000", "ஏஜென்ட் கட்டணம் ₹3 லட்சம்", "先交培训费500"; with a job offered
# (_JOB_WORDS) it is the recruitment scam's.
_FEES = (
    r"(?:registration|processing|background check|training|medical|agent|agency|application|onboarding) "
    r"fees?|kudin (?:rajista|rijista)|የምዝገባ ክፍያ|(?:मेडिकल|रजिस्ट्रेशन|प्रोसेसिंग|एजेंट) फीस|"
    r"(?:ஏஜென்ட்|பதிவு) கட்டணம்|biaya (?:pendaftaran|pelatihan)|taxa de (?:inscricao|cadastro)|"
    r"cuota de inscripcion|报名费|培训费|体检费|中介费"
)
_JOB_FEE = _re(r"(?:" + _FEES + r")[^.\n。]{0,12}[0-9]|[0-9][^.\n。]{0,12}(?:" + _FEES + ")")
_MINIMISED = _re(r"(?:^|[^a-z])(?:only|just|kawai|pay an?)\b|ብቻ|सिर्फ|केवल|மட்டும்|仅|只需|只要|先交")
_JOB_WORDS = _re(
    r"salary|salaries|albashi|ደሞዝ|सैलरी|वेतन|சம்பளம்|hiring|earn \$?[0-9]|gaji|salario|工资|薪资|月薪|"
    r"底薪|vacanc|job offer"
)
# A member's own channel or stream put forward: "subscribe to my channel", "stop by my stream".
_SELF_PROMO = _re(
    r"((?:subscrib(?:e|ed|ing)|follow(?:ed|ing)?|stop(?:ped)? by|drop by|"
    r"give (?:it|me) a (?:listen|follow|watch|sub)|"
    r"check out|support) [^.!?\n]{0,40}\b(?:my|our) "
    r"(?:(?:son|daughter|kid|brother|sister|wife|husband|friend)'?s )?(?:new |small |little )?"
    r"(?:youtube |twitch |tiktok |spotify |ig |insta(?:gram)? )?"
    r"(?:channel|stream|track|song|podcast|page|account|server|videos?|content)|"
    r"(?:just )?(?:started|launched|made) (?:a|my) (?:new |small |little )?(?:youtube|twitch|tiktok) "
    r"(?:channel|account)|"
    r"channel grow|abonniert? (?:meinen|unseren) kanal|abonnez-vous|suscr[ií]bete|inscreva-se|"
    r"(?:на|в) (?:моем|моём|нашем) канале|подписывайтесь|sub ?(?:4|for) ?sub\b|follow ?(?:4|for) ?follow|"
    r"i follow back|(?:kolla in|prenumerera pa) min (?:nya )?(?:youtube-?)?kanal|min nya (?:youtube-?)?kanal)"
)
# A member's own workplace hiring ("our cafe is looking for a barista"), or a member offering
# their own hands ("I'm a student at NUS, offering maths tuition"): a neighbour's word, unless it
# is a trade that advertises (loans, crypto, gambling). Not "我们公司在招": the fake job's words.
_OWN_WORK = _re(
    r"((?:our|my) (?:company|cafe|café|restaurant|clinic|practice|studio|firm|shop|salon|bakery|office)"
    r"[^.!?\n]{0,60}(?:is hiring|are hiring|hiring|is looking for|needs? (?:a|an|[0-9]))|we'?re hiring|"
    r"(?:^|[^a-z])i'?m a (?:student|high school|college|uni|university|retired|stay[- ]at[- ]home)|"
    r"本人(?:大学生|学生|退休)|since (?:a few|some|many|several) of you (?:asked|wanted)|"
    r"(?:my|our) neighbou?r'?s (?:son|daughter|kid|boy|girl)|(?:мои|моя|міи) (?:сын|дочь|син|донька)"
    r"[^.!?\n]{0,20}(?:ищет|шукає)|(?:meu|minha) (?:filho|filha)[^.!?\n]{0,20}procura|"
    r"mi (?:hijo|hija)[^.!?\n]{0,20}busca)"
)
# A relative's or friend's business, or one's own, put forward: astroturf, not a customer's word.
_KIN_BUSINESS = _re(
    r"((?:my|our) (?:cousin|brother|sister|friend|uncle|aunt|wife|husband) is an? [a-z]* ?(?:advisor|"
    r"adviser|agent|consultant|broker|coach|trader|planner)\b|"
    r"(?:my|our) (?:cousin|brother|sister|friend|uncle|aunt|wife|husband|dad|mom|mum|family)'?s? "
    r"(?:runs|owns|has|opened|started|company|business|shop|agency)|"
    r"我(?:表姐|表哥|表妹|表弟|姐姐|哥哥|朋友|老公|老婆|亲戚|舅舅|姨|叔叔)(?:在做|开了?|做的|的(?:店|公司)))"
)
# The sender's own shop: no customer's word about it.
_OWN_SHOP = _re(r"我(?:们)?(?:自己)?(?:开的|家的店|的店)")
# An agency's stock, not a member's own room: "我们是中介 大量房源".
_AGENCY = _re(r"(我们是中介|本中介|大量房源|房源(?:多|充足|真实)|海量房源|中介费全免|we are (?:an )?agen)")
_SEARCH_WORDS = (
    "公众号", "搜", "@", "search", "google", "검색", "検索", "busca", "such", "wyszukaj", "cherch", "cerca",
    "ara",
    "ابحث", "دور",
)
# Contact words that ask for a private message ("价格私聊"), not a messenger's name.
_DM_WORDS = frozenset({"私聊", "私信我", "私我", "私戳", "滴滴我", "戳我", "联系我"})
# What no member writing plainly (a customer passing on a provider's contact, a group's treasurer
# asking for its fee) sends: a disguise, a trap, a way into another chat, money or a cure promised.
_NOT_PLAINLY_A_MEMBERS = (
    "evasion", "hidden_number", "hidden_link", "lookalike_domain", "disguised_link", "idn_host", "shortener",
    "trap_link", "suspicious_tld", "bait_host",
    "invite", "tme_link", "discord_invite", "url_button", "via_bot", "channel_forward", "phishing",
    "gains_story", "pay_first", "job_fee", "health", "emoji_hooks",
)
# What a member says plainly too: a number, a site, an address, a price, words of a trade (a coin's
# name, a loan). Nothing hidden, disguised or pointed at (an id, an invite, a button, a forward).
_PLAINLY_SAID = frozenset({
    "phone", "link", "email", "price", "contact_word", "offer", "call", "income", "adult", "crypto", "loan",
    "pitch", "phone_to_call", "reach_and_pitch", "reach_and_call",
})
# Reach that names someone to contact, not only words about contacting.
_CONCRETE_REACH = (
    "link", "hidden_link", "shortener", "url_button", "username", "contact_id", "phone",
    "discord_invite", "invite", "tme_link", "via_bot", "disguised_link", "lookalike_domain",
    "hidden_number", "idn_host", "email", "referral_code", "profile_pointer", "search_pointer",
    "known_link_pitch", "cashtag", "wallet", "pay_first", "contact_elsewhere", "apk_file",
)


def _allowed_by_admins(policy: Policy, host: str) -> bool:
    parts = host.split(".")
    return any(
        (suffix := ".".join(parts[i:])) in policy.domains and suffix not in DEFAULT_DOMAINS
        for i in range(len(parts) - 1)
    )


def _dehan(match: re2._Match) -> str:
    """Chinese set inside a host is taken out where it stands at the host's dot ("jichang一.top",
    "abc好.com"); a host after a sentence ("CoS之后我在gov.uk上") is a host of its own."""
    before, after = match.group(1), match.group(2)
    if after.startswith(".") or before.endswith("."):
        return before + after
    return match.group(0)


def _after_order_number(text: str, at: int) -> bool:
    """What starts at ``at`` follows a work order's or a serial's label: "工单号 WX20240518-0336"
    is no WeChat id."""
    return text[max(at - 3, 0) : at].rstrip().endswith(("单号", "编号", "工单"))


# "In one line: total US + ...", "bottom line: buy the index": the noun line, a colon after it,
# names no LINE account. "line id: ..." and "my line: ..." still do.
_LINE_NOUN_BEFORE = frozenset({
    "one", "a", "first", "second", "third", "last", "next", "bottom", "top", "subject", "punch",
    "tag", "front", "finish", "single", "each", "every", "this", "that", "same", "whole", "command",
    "code", "story", "party", "title", "status", "opening", "closing", "final", "red",
})


def _line_noun(bare: str, found: re2._Match) -> bool:
    """The LINE account ``found`` is the noun "line" after a word that makes it one."""
    at = found.start() + found.group(0).find("line")
    if found.group(1) is None or "id" in bare[at + 4 : found.start(1)]:
        return False
    before = bare[max(at - 20, 0) : at].split()
    return bool(before) and before[-1].strip(".,;:!?()\"'") in _LINE_NOUN_BEFORE


def _standalone(word: str, text: str) -> bool:
    """``word`` appears in ``text`` as a word of its own."""
    return any(
        (at == 0 or not text[at - 1].isalpha()) and not text[at + len(word) : at + len(word) + 1].isalpha()
        for at in (m.start() for m in re.finditer(re.escape(word), text))
    )


def _looks_like_id(found: re2._Match) -> bool:
    """A contact word's id is one when it is set apart (``wx: abcdef``, ``微信 abcdef``) or
    reads like one (digits, ``_``): "Telegram desktop" or "wechat group" name no one."""
    ident, separator = found.group(5), found.group(4).strip()
    if _AMOUNT.match(ident):
        return False
    if ident.isdigit():
        return found.group(2) is None or bool(separator)  # "line 95588" is a line number
    has_mark = any(c.isdigit() or c in "_-" for c in ident)
    if found.group(3) is not None:
        return has_mark or len(ident) >= 6
    return has_mark or bool(separator) and found.group(2) is None


# A path that asks for a login or hands over a program: "/login-discord", "/download.scr".
_TRAP_PATH = _re(
    r"/(?:[a-z0-9_\-]*[\-_])?(?:log-?in|sign-?in|verify|auth|connect-?wallet|wallet-?connect)(?:$|[/?#.\-_])|"
    r"\.(?:scr|exe|bat|cmd|msi|jar|vbs|apk|lnk)(?:$|[?#])"
)


# A WhatsApp chat with a number: "wa.me/85291234567", "api.whatsapp.com/send?phone=852...".
_NAMES_WHATSAPP = _re(r"whats|(?:^|[^a-z])(?:wa|ws|zap|wsp)(?:[^a-z]|$)|واتس|วอทส")
_WHATSAPP_CHAT = _re(r"(?:^|[/.])(?:wa\.me/|whatsapp\.com/send/?\?phone=)\+?([0-9]{7,15})")


# A company's own careers page ("northwindlabs.com/careers", "kinto.io/careers/backend-go"): a
# vacancy passed on, as one on a job board is; the recruiters' easy money is in the words.
_CAREERS_PATH = _re(r"^/(?:[a-z]{2}(?:-[a-z]{2})?/)?(?:careers?|jobs|vacancies)(?:$|[/?#])")


_BOT_START = _re(r"[?&]start(?:app)?=(?:ref|r_|inv|aff|partner)")


def _weigh_discord_invite(score: _Score, invite: str) -> None:
    if not _PLACEHOLDER_INVITE.search(invite):
        score.add("discord_invite", invite, DISCORD_INVITE_WEIGHT)


def _judge_link(
    score: _Score, policy: Policy, url: str, raw_host: str, *, hidden: bool, shown: str, where: str = "text"
) -> None:
    lowered = url.casefold()
    telegram_or_discord = True
    if _INVITE.search(lowered):
        score.add("invite", _INVITE.search(lowered).group(0), 1.0)
    elif tme := _TME.search(lowered):
        name = tme.group(1)
        if name not in ("joinchat", "share", "addstickers", "proxy", "iv") and not policy.username_ok(name):
            score.add("tme_link", "t.me/" + name, 0.9)
        else:
            return  # a member, a whitelisted name or Telegram's own pages
    elif invite := _DISCORD_INVITE.search(lowered):
        _weigh_discord_invite(score, invite.group(0))
    else:
        telegram_or_discord = False
    if telegram_or_discord:
        if hidden:
            # A chat or server behind words that do not name it ("群公告", "photos").
            score.add("hidden_link", f"{shown[:30]} -> {raw_host}", 0.5)
        return
    path = lowered.partition(raw_host.casefold())[2]
    if hidden and (wa := _WHATSAPP_CHAT.search(lowered)) and not _NAMES_WHATSAPP.search(shown.casefold()):
        # A WhatsApp chat behind words that do not name it ("管理處新通告", "点这里"): a phone number
        # handed over unread.
        score.add("phone", "wa.me/" + wa.group(1), 0.4)
    host = _idna(raw_host)
    if host and _CAREERS_PATH.search(path) and host.rsplit(".", 1)[-1] not in SUSPICIOUS_TLDS and not (
        _impersonated(host) or _bait_word(host) or _idn_disguise(raw_host)
    ):
        score.known_hosts.append(host)
        return
    if not hidden and host in SHORTENERS and not path[:2].strip("/").isalnum():
        return  # a shortener named, not a link ("bit.ly links are blocked here")
    _judge_host(score, policy, raw_host, hidden=hidden, shown=shown, where=where)
    if where == "button":
        score.add("url_button", _idna(raw_host), 0.8)
    trap = _TRAP_PATH.search(path) if path else None
    if trap and not policy.domain_ok(_idna(raw_host)):
        # A sign-in page or a program to run on a site nobody vouched for: phishing, or malware.
        score.add("trap_link", f"{raw_host}{trap.group(0)}"[:40], 0.4)
