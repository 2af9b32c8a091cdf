"""The ads detector's word and host lists: whitelisted sites, Telegram's own accounts, link
shorteners, top-level domains (all that the detector reads as hosts, and the cheap ones spam
favours), the trades that advertise in Chinese and in Latin script, and the brands scam hosts
borrow. Data only; plugins.ads.detector compiles and weighs it."""

from __future__ import annotations

__all__ = [
    "BRANDS", "CATEGORIES", "COUNTRY_SECOND_LEVELS", "COUNTRY_TLDS", "PHISHED", "DEFAULT_BOTS",
    "DEFAULT_DOMAINS", "OFFICIAL_ACCOUNTS", "PUBLIC_TLDS",
    "SHORTENERS", "SUSPICIOUS_TLDS", "TLDS",
]

DEFAULT_DOMAINS = (
    "github.com",
    "gitlab.com",
    "githubusercontent.com",
    "github.io",
    "stackoverflow.com",
    "stackexchange.com",
    "python.org",
    "pypi.org",
    "readthedocs.io",
    "readthedocs.org",
    "wikipedia.org",
    "wikimedia.org",
    "google.com",
    "youtube.com",
    "youtu.be",
    "bilibili.com",
    "b23.tv",
    "zhihu.com",
    "douban.com",
    "weibo.com",
    "baidu.com",
    "qq.com",
    "163.com",
    "sina.com.cn",
    "csdn.net",
    "juejin.cn",
    "jianshu.com",
    "sspai.com",
    "v2ex.com",
    "twitter.com",
    "x.com",
    "reddit.com",
    "medium.com",
    "apple.com",
    "microsoft.com",
    "mozilla.org",
    "developer.mozilla.org",
    "npmjs.com",
    "docker.com",
    "rust-lang.org",
    "golang.org",
    "go.dev",
    "kernel.org",
    "arxiv.org",
    "nytimes.com",
    "bbc.co.uk",
    "bbc.com",
    "reuters.com",
    "amazon.com",
    # Where members buy, sell and give away things among themselves, and their forms.
    "ikea.com",
    "uniqlo.com",
    "ebay.com",
    "rakuten.co.jp",
    "mercari.com",
    "carousell.com",
    "craigslist.org",
    "gumtree.com",
    "kijiji.ca",
    "goofish.com",
    "disk.yandex.ru",
    "cloud.mail.ru",
    "forms.gle",
    "shopee.com",
    "lazada.com",
    "etsy.com",
    "eventbrite.com",
    "strava.com",
    "jd.com",
    "taobao.com",
    "tmall.com",
    "meituan.com",
    "douyin.com",
    "xiaohongshu.com",
    "imdb.com",
    "spotify.com",
    "notion.so",
    "figma.com",
    "openai.com",
    "huggingface.co",
    "cloudflare.com",
    "linux.org",
    "archlinux.org",
    "ubuntu.com",
    "debian.org",
    "discord.com",
    "telegram.org",
    "gov.cn",
    "edu.cn",
    "maps.app.goo.gl",
    "goo.gl",
    "docs.rs",
    "crates.io",
    "w3.org",
    "mdn.io",
    "typescriptlang.org",
    "nodejs.org",
    "vuejs.org",
    "react.dev",
    "apache.org",
    "postgresql.org",
    "sqlite.org",
    "12306.cn",
    "fandom.com",
    # Meetings, documents and courses members share links to.
    "zoom.us",
    "meet.google.com",
    "teams.microsoft.com",
    "meeting.tencent.com",
    "feishu.cn",
    "larksuite.com",
    "coursera.org",
    "edx.org",
    "khanacademy.org",
    "leetcode.com",
    "leetcode.cn",
    "jetbrains.com",
    "ethereum.org",
    # Listings, events and game engines members post for the group itself.
    "meetup.com",
    "linkedin.com",
    # Job boards and the hiring platforms a company's vacancy is posted on: a member passing on their
    # team's opening links the vacancy there ("Вакансия на hh", "BOSS 直聘上的正式岗位").
    "indeed.com",
    "glassdoor.com",
    "lever.co",
    "greenhouse.io",
    "workable.com",
    "comeet.com",
    "wellfound.com",
    "hh.ru",
    "zhipin.com",
    "jobsdb.com",
    "seek.com.au",
    "naukri.com",
    "itch.io",
    "godotengine.org",
    "unity.com",
    "unrealengine.com",
    "steampowered.com",
    "steamcommunity.com",
    "epicgames.com",
    "twitch.tv",
    "gog.com",
    "nintendo.com",
    "playstation.com",
    "xbox.com",
    "minecraft.net",
    "curseforge.com",
    "modrinth.com",
    "nexusmods.com",
    "steamdb.info",
    "protondb.com",
    "ankiweb.net",
    "withgoogle.com",
    "etherscan.io",
    "revoke.cash",
    "isthereanydeal.com",
    "chsi.com.cn",
    "bitcoin.org",
    # Reserved for examples (RFC 2606) and public bodies.
    "example.com",
    "example.org",
    "example.net",
    "gov.uk",
    "nhs.uk",
    "ac.uk",
    "gov.hk",
    "edu.hk",
    "gov.tw",
    "edu.tw",
    "gov.sg",
    "edu.sg",
    "gov.au",
    "edu.au",
    "go.jp",
    "ac.jp",
    "gc.ca",
    "canada.ca",
    "europa.eu",
)
# Telegram's own accounts and bots: naming them is no advertisement.
OFFICIAL_ACCOUNTS = frozenset(
    {"spambot", "botfather", "telegram", "durov", "stickers", "gif", "pic", "vid", "bing", "wiki",
     "imdb", "youtube", "like", "vote", "bold", "gamee", "quizbot", "previews", "webpagebot",
     "tginfo", "telegramtips", "notoscam", "username_bot", "jobs", "premiumbot", "wallet"}
)
# Top-level domains only public bodies hold.
PUBLIC_TLDS = frozenset({"gov", "edu", "mil", "int"})
# The same one level down, under a country's domain (gov.my, go.th, lg.jp, gouv.fr, govt.nz);
# only the public sector is given these.
PUBLIC_SECOND_LEVELS = frozenset({"gov", "go", "gob", "gouv", "govt", "gv", "lg", "edu", "mil", "police"})
# Where a whitelisted .com has its country sites (amazon.co.uk, ikea.de): a country's own
# registry, not a cheap top-level domain anyone may register a famous name under.
COUNTRY_TLDS = frozenset(
    "uk de fr it es nl be at ch se no dk fi ie pt pl cz ca us mx br ar au nz jp kr cn hk tw sg my th vn "
    "id ph in ae sa tr ru".split()
)
COUNTRY_SECOND_LEVELS = frozenset(
    "co.uk com.au co.jp co.kr com.cn com.hk com.tw com.sg com.my co.th com.vn co.id com.ph co.in "
    "com.br com.mx com.ar co.nz com.tr".split()
)
DEFAULT_BOTS = (
    "gif",
    "pic",
    "vid",
    "bing",
    "wiki",
    "imdb",
    "youtube",
    "sticker",
    "like",
    "vote",
    "music",
    "foursquare",
    "bold",
    "gamee",
    "quizbot",
    # Group-management and captcha bots whose buttons greet and verify newcomers.
    "shieldy_bot",
    "missrose_bot",
    "grouphelpbot",
    "combot",
    "join_captcha_bot",
)
SHORTENERS = frozenset(
    {
        "bit.ly",
        "t.cn",
        "tinyurl.com",
        "is.gd",
        "cutt.ly",
        "rb.gy",
        "ow.ly",
        "suo.im",
        "dwz.cn",
        "url.cn",
        "t.ly",
        "shorturl.at",
        "s.id",
        "tiny.cc",
        "rebrand.ly",
        "v.gd",
        "u.nu",
        "lnkd.in",
        "buff.ly",
        "qr.net",
        "reurl.cc",
        "bitly.com",
        "sohu.gg",
        "tb.cn",
        "m.tb.cn",
        "u.jd.com",
        "3.cn",
        "t.co",
        "shorturl.asia",
        "urlz.fr",
        "tny.im",
    }
)

SUSPICIOUS_TLDS = frozenset(
    {
        "top",
        "xyz",
        "vip",
        "club",
        "icu",
        "cyou",
        "buzz",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "shop",
        "site",
        "online",
        "work",
        "cc",
        "ws",
        "fun",
        "live",
        "bet",
        "casino",
        "win",
        "loan",
        "bid",
        "life",
        "pw",
        "su",
        "click",
        "link",
        "rest",
        "monster",
        "sbs",
        "lol",
    }
)
TLDS = (
    "com|net|org|io|cn|me|xyz|top|vip|club|info|biz|app|site|online|shop|live|link|tk|ml|ga|cf|"
    "gq|gg|ly|ru|hk|tw|us|uk|de|jp|kr|in|cc|co|ws|fun|bet|casino|win|loan|icu|cyou|buzz|work|"
    "life|pw|su|click|rest|monster|sbs|lol|tv|ai|dev|so|fm|im|to|bid|pro|asia|mobi|one|store|"
    "tech|cloud|space|website|press|ink|games|money|finance|cash|exchange|trade|codes|reviews|claims|"
    "cards|coupons|credit|loans|chat|cool|team|studio|zip|mov|help|login|"
    "today|world|news|network|group|agency|center|company|zone|city|digital|services|fund|capital|"
    "market|deals|sale|gift|gifts|promo|racing|date|dating|love|sexy|cam|video|download|page|"
    "events|party|review|stream|science|faith|accountant|cricket|men|kim|ren|xin|ltd|red|gold|"
    "plus|rocks|host|best|fit|guru|pub|run|wang|bond|cfd|homes|beauty|hair|skin|makeup|quest|"
    "autos|pics|mom|uno|lat|ninja|social|support|tips|tools|solutions|systems|health|care|"
    "clinic|pharmacy|diet|fitness|academy|courses|school|jobs|careers|vin|wine|bar|"
    "ua|br|vn|ph|th|my|sg|pk|ng|za|ir|tr|nl|fr|it|es|eu|ca|au|nz|ch|se|fi|dk|be|cz|ro|hu|gr|"
    "pt|ar|mx|cl|kz|by|la|mn|ae|il|gs|st|sx|am|vc|ac|nu|cx|cm|cd|gle|lt|lv|ee|"
    "xn--[a-z0-9-]+"
)

# Trades that advertise. (compact Chinese, weight) and (Latin on the spaced text, weight).
CATEGORIES: dict[str, tuple[str, str]] = {
    "gambling": (
        r"博彩|菠菜|赌场|百家乐|老虎机|时时彩|六合彩|六合|棋牌|娱乐城|体育投注|真人荷官|首充|返水|反水|"
        r"网赌|赌博|彩票代理|彩金|注册送|开户送|bc平台|电子游艺|捕鱼|牛牛|澳门|葡京|威尼斯人|太阳城|"
        r"下注|投注|盘口|包赢|必中|跟投|计划群|稳中|让球|大小球|红单|稳单|竞彩|足彩|赛事推荐|推荐场次|"
        r"主胜|客胜|串子",
        r"casino|betting|sportsbook|slots? (?:game|online|gacor|machine|bonus|site)|slot88|jackpot|poker|"
        r"baccarat|roulette|1xbet|stake\.com|"
        r"free spins|deposit bonus|bet now|odds boost|bukmacher[a-z]*|iddaa|bahis|scommess[ae]|"
        r"paris sportifs|sportwetten|satta ?matka|sure odds|fixed match(?:es)?|"
        r"sikeli mac|garantili (?:kupon|mac|tahmin)|توقعات مضمونة|"  # read normalised: "şikeli maç"
        r"казино|ставк[аи] на спорт|букмекер[а-я]*|договорн(?:ые|ой|ых) матч[а-я]*|مراهنات|كازينو|بونص|"
        r"deneme bonusu|cevrimsiz|apuestas|taruhan|judi online|sike mac|ставк[а-я]* на киберспорт|"
        r"прогноз[а-я]* на спорт|pronosticuri|ponturi|pronos\b|pronostics?|paris gagnants|καζινο|bolao|"
        r"nha cai|tai xiu|san keo|"
        r"keo bong|cricket tipper|"
        # Hebrew: betting, sports betting, a casino.
        r"הימורי|הימורים|קזינו",
    ),
    "crypto": (
        r"空投|币圈|合约|带单|跟单|拉盘|暴涨|翻倍|稳赚|保本|高收益|躺赚|挖矿|矿机|私募|内幕|"
        r"返佣|交易所|内部消息|上币|区块链|数字货币|虚拟币|撸毛|币安|欧易|火币|分红|理财|收益率|日收益|量化|"
        r"套利|搬砖|出u|收u|u商|换汇|承兑|跑分|洗钱|现货|杠杆",
        r"airdrop|giveaway|double your|doubled (?:my|our|his|her)|guaranteed (?:profit|returns?)|"
        # A coin's pump, not a water or a bike or a breast pump: "pump group", "next pump", "pump.fun".
        r"pump(?: and dump|s? (?:group|signals?|calls?|it|incoming|starting|alert|bot|squad|room))|"
        r"pump\.fun|(?:next|massive|crypto|coin|vip|private|premium|#1|best) pumps?\b|"
        r"(?:before|until) (?:they|it) pumps?|alerta de pump|antes do pump|"
        r"signals|signal (?:group|channel|provider)|"
        r"(?:vip|free|trading|crypto|forex|premium|paid|accurate|daily) signal|[0-9]+x gains?|"
        r"presale|pre-sale|connect (?:your )?wallet|claim (?:your|free)|free crypto|investment plan|"
        r"submit (?:your )?wallet|mev (?:sandwich )?bot|sandwich bot|front-?running bot|arbitrage bot|"
        r"usdt|btc|bitcoin|eth|ethereum|crypto|forex|binary options|trading (?:bot|group|signals)|"
        r"passive income|roi (?:of |up to |guaranteed|[0-9+~])|roi[:：]|"
        r"(?:[0-9]+ ?%|high|daily|guaranteed) roi|"
        r"profit|invest(?:ment|ing)?|mining|nft mint|whitelist spot|token launch|"
        r"(?:crypto|web3|metamask|trust|phantom|hardware|cold|hot|digital|your) wallets?|"
        r"wallets? (?:address|drained)|seed phrase|recover (?:your )?(?:funds|wallet)|"
        r"recovery (?:experts?|team|agents?)|"
        r"hacked (?:account|wallet|profile)|restore (?:it|your (?:account|access|funds))|account recovery|"
        r"lost (?:money|funds|crypto)|kripto|krypto[a-z]*|kryptowalut[a-z]*|criptovalut[a-z]*|"
        r"cryptomonnaies?|تداول|فوركس|الفوركس|توصيات|ارباح|أرباح|памп|пассивн[а-я]* доход[а-я]*|"
        r"схем[уа] заработка|pemulihan (?:wallet|akun|dana)|lay lai tien|ho tro lay lai|за регистрацию|"
        r"investmentplattform|(?:know|need|recommend) a hacker|hacker who can|"
        r"ترید|مربی ترید|ارباح مضمونة|أرباح مضمونة|"
        # Hebrew: trading signals, crypto, forex.
        r"סיגנלים|איתותים למסחר|קריפטו|פורקס",
    ),
    "loan": (
        r"贷款|网贷|借款|下款|秒批|秒到|无抵押|低息|征信|黑户|口子|套现|信用卡代还|代还|花呗|白条|"
        r"放款|借钱|急用钱|免息|利息低|押金|0首付|零首付|分期免息",
        r"loans?|instant approval|no credit check|low interest|cash advance|payday|credit repair|"
        r"kredi|kredyt|pozyczk[a-z]*|prestiti|pret rapide|credito rapido|mikopo|mkopo|schufa|"
        r"bez bik|sans garant|قرض|قروض|قرضہ|लोन|ऋण|লোন|ঋণ|микрозаим[а-я]*|заим[ыа]? |"
        r"kredi karti nakit|nakit cevirme|pinjaman|pinjol|prestamos? (?:rapidos?|sin)|"
        r"pujck[a-z]*|bez registru|credit rapid|ifn\b|kolcson|δανει[a-zα-ω]*|chwilowk[a-z]*|snabblan|"
        r"lan utan uc|snel geld lenen|lening zonder|giai ngan|khoan vay|"
        r"vay (?:nhanh|tien|tín chấp)|"
        # Hebrew: loans, to those the bank restricts.
        r"הלוואות|הלוואה מהירה|מוגבלים בבנק",
    ),
    "income": (
        r"兼职|日结|刷单|日赚|日入(?:[0-9一二两三四五六七八九十几百千万]|过)|月入|轻松赚|在家赚|躺着赚|学生党|手机操作|零门槛|零成本|"
        r"招代理|招募|加盟|引流|涨粉|刷粉|推广|代发|群发|出售|接单|代开|发票|办证|提现|出号|卖号|"
        r"账号出售|收号|副业|赚钱|收入|佣金|月薪|高薪|招聘|代理|创业|回本|一单一结|派单|进货价|出厂价|"
        # A day's earnings ("一天能挣三四百"), not a day ("提前一天", "暂停一天").
        r"一天(?:能|就|可以?|稳|轻松)?(?:赚|挣|收入|进账|[0-9一二两三四五六七八九十几]+(?:元|块|百|千|k))|"
        r"一票[0-9一二两三四五六七八九几]+毛|"
        r"零投入|带你|赚米|搞钱|零花钱|易上手|手机就能|领教程|包过|保证通过|项目|资源|渠道|货源|批发|代购|微商|私域|拉新|地推|下载app|注册|"
        r"下单|价格实惠|代练|代打|代写|代做|包售后|厂家直销|工厂直销|一件代发|高仿|货到付款|减肥|瘦身|"
        r"私人订制|量大从优|批发价|欢迎选购|诚信经营|清仓|降重|查重|保过|代考|枪手|秒发|进编制|内推进|"
        r"稼げる|ポイ活|高収入|闇バイト|부업",
        r"work from home|from home|from my phone|earn(?:ing|ed|s)? (?:up to )?\$?[0-9]+|"
        r"\$[0-9][0-9,]* (?:a|per) (?:day|week|hour)|"
        r"per day|"
        r"make \$[0-9]|get paid|paid to|up to \$[0-9]|\$[0-9][0-9,]* ?/ ?(?:hour|hr|day|week)|"
        r"rm ?[0-9][0-9,]* ?/ ?day|data entry|"
        r"fake (?:ids?|passports?|documents?|diplomas?|degrees?)|"
        # Paid by the piece for a click or a chore: the task scam.
        r"\$?[0-9]+ per (?:like|envelope|review|click|follow)|"
        r"make money|side hustle|be your own boss|financial freedom|recruiting|hiring now|"
        # The salary left behind: "replaced my salary", "tired of your 9-5?".
        r"replaced? (?:my|your) (?:salary|income|9.?(?:to.?)?5)|(?:quit|fire|escape) (?:my|your|the) "
        r"9.?(?:to.?)?5|(?:tired|sick) of (?:your|the|my) 9.?(?:to.?)?5|"
        r"data optimi[sz]ers?|online assistants?|payment agents?|daily salary|"
        r"got your (?:number|contact) from|"
        r"no experience|easy money|extra income|commission|affiliate|followers|"
        r"cheap|wholesale|replica|promo|discount|% off|buy now|order now|best price|gift ?cards?|"
        r"face value|[0-9]+% (?:off|of (?:the )?(?:face )?value)|"
        r"sans (?:passer l'?)?examen|senza esame|ohne prufung|bez egzaminu|sinava girmeden|"
        r"بدون امتحان|بغیر انٹرویو|takipci|متابعين|geld verdienen|guadagnare|zarabia[cm]|para kazan|"
        r"kazaniyorum|gagner de l'?argent|ganar dinero|paise kama[a-z]*|पैसे कमा[^ ]*|ربح مضمون|"
        r"заработ[а-я]*|пассивн[а-я]* доход|подработк[а-я]*|оплата от|дроп(?:ов|ы)|накрутк[а-я]*|"
        r"подписчик[а-я]*|راتب|توظيف|للعمل من البيت|التسويق بالعمولة|ek gelir|evden (?:calisma|is)|"
        r"hesap satisi|tez yazimi|trabajo desde casa|ingresos? extra|penghasilan tambahan|kerja online|"
        r"seguidores|abonnes pas chers|hausarbeiten|chegg unlocks?|kamaye|kamao|kamai|"
        r"дроп(?:и|ів)|заробіт(?:ок|ку)|робота для (?:всіх|студентів)|мережев[а-я]* бізнес|"
        r"сетев[а-я]* бизнес|"
        r"продам отзывы|отзывы и оценки|вебкам[а-я-]*|oylik [0-9]|kuniga [0-9]|ishga odam|күніне [0-9]|"
        r"gunluk [0-9]+ ?tl|geri abone|vizsga nelkul|χωρισ εξετασεισ|senza frequentare|bez wizyty w wydziale|"
        r"payes? pour noter|ertekeltem|ocenianie produktow|szakdolgozat|beadando|"
        r"renda extra|marketing de afiliados|trafego pago|"
        r"ویزای کاری|اقامت تضمینی|وقت سفارت|درآمد|تضمینی|"
        # Hebrew: work from home, extra income, shekels a day or an hour.
        r"עבודה מהבית|לעבוד מהבית|הכנסה נוספת|[0-9] ?(?:ש\"ח|₪|שקלים) (?:ביום|לשעה)|"
        # ... passive income, recognised diplomas sold.
        r"הכנסה פסיבית|תעודות בגרות|תארים מוכרים|"
        r"sub ?(?:4|for) ?sub|follow ?(?:4|for) ?follow|f4f|i follow back|prenumerera tillbaka|"
        r"vydel(?:ej|at|ala|al|avam|avat)\b|z domova|tjana [0-9]|tjana pengar|hemifran|bijverdienen|"
        r"uppsatser|skoluppgifter|diplomk[a-z]*|bakalark[a-z]*|seminark[a-z]*|"
        r"exams? for (?:cash|money)|"
        r"(?:do|take) (?:your|other people'?s) (?:exams?|tests?|classes|assignments)",
    ),
    "health": (
        r"代餐|燃脂|酵素|瘦身|减脂茶|降糖|降压|降尿酸|降血糖|调理|胶原蛋白|护眼仪|保健品|中药调理|偏方|"
        r"方子|排毒|养生茶|益生菌|增肌粉|减肥药|丰胸|壮阳药|祛斑|美白针|类固醇|增肌针",
        r"keto|weight loss|lose weight|slimming|detox tea|diet pills?|fat burn(?:er|ing)?|supplements?|"
        r"gummies|cures? (?:high blood pressure|diabetes|cancer)|"
        r"obat pelangsing|pelangsing|giảm cân|giam can|ยาลดน้ำหนัก|похуде|वशीकरण|"
        r"ka+la ja+du+|jad se khatam|مردانہ کمزوری|যৌন দুর্বলতা",
    ),
    "adult": (
        r"约炮|裸聊|同城|上门(?:服务|按摩|陪|约)|看片|成人|色情|黄色|(?:找|叫|约|包夜|兼职)小姐|小姐(?:服务|包夜|兼职)|楼凤|外围|援交|约妹|福利姬|福利群|资源群|"
        r"18禁|黄网|撸|荤|污群|美女|少妇|嫩模|陪玩|陪聊|情趣|壮阳|约会|交友|一夜情",
        r"onlyfans|nudes?|hot girls?|sexy|18\+|porn|escort|hookup|dating|webcam|"
        r"single (?:girls|ladies|women)|lonely|знакомства|интим|эскорт|kesepian|صور وفيديوهات حصرية",
    ),
    # Fake notices that ask for a payment or a login (parcels, accounts, refunds).
    "phishing": (
        r"包裹.{0,4}(?:滞留|异常|无法派送)|补缴|重新派送|账户.{0,4}(?:冻结|异常|锁定)|退款.{0,2}链接|"
        r"验证.{0,2}身份.{0,4}链接|中奖.{0,4}领取|领取.{0,4}奖金|不在のため|再配達|宛先不明|持ち帰りました|(?:误转|转错)(?:了)?(?:钱|"
        r"账)?[^。]{0,20}(?:退回|退还|还给我)|お荷物.{0,8}(?:持ち帰り|保管)|"
        r"당첨되셨습니다|수령하세요|택배.{0,6}(?:보류|반송)|先に振込|先払い|선입금|โอนก่อน|账户(?:已)?变更|换了新(?:号|账户)|这是我的新号|这是我新的(?:帐号|账号|"
        r"号)|输入(?:收到的)?验证码|"
        r"(?:教育局|社保局|税务局|人社局|医保局|公安局|交警|卫健委).{0,30}(?:点击|链接).{0,4}(?:办理|登记|申领|认证|领取)",
        r"(?:package|parcel|shipment) (?:is )?(?:on hold|held|undeliverable)|pay the (?:fee|customs)|"
        r"sent you (?:a|my) (?:[0-9]-digit )?(?:code|otp)|send (?:it|the code|the otp) back|"
        r"(?:salah|tersalah) (?:kirim|hantar) (?:kode|kod|otp)|bayad muna|"
        r"chuyen khoan truoc|pay (?:first|upfront) (?:and|then)|"
        r"redelivery|verify your (?:account|identity)|account (?:is )?(?:suspended|locked|limited)|"
        r"claim your (?:refund|prize|reward)|unusual (?:activity|sign-?in)|"
        r"paquete (?:est[aá] )?retenido|tasas? de aduana|pague aqu[ií]|encomenda (?:retida|taxada)|"
        r"(?:bank )?account (?:number )?(?:has )?changed|(?:pay|transfer)[^.\n]{0,30}(?:to )?our new account|"
        r"ini nomor baru|nomor (?:saya )?yang (?:lama|baru)|rekening anak saya|masukkan kode|"
        r"(?:enter|type in) the code (?:you|that)|"
        r"stuck (?:abroad|overseas|at the airport)|stranded (?:abroad|overseas|at the airport)|"
        # A prize or award that costs a fee to claim, a free sample that costs the postage.
        r"(?:scholarship|prize|award|reward|grant|nominated|selected)[^\n]{0,100}"
        r"(?:processing|handling|release) fee|confirm your (?:shipping |delivery )?address|"
        r"(?:just|only) pay (?:the )?(?:p ?& ?p|postage|shipping)|"
        r"(?:karte|konto) wurde gesperrt|hier entsperren|bankdaten (?:erneut )?bestatigen|"
        r"coordonnees bancaires|rozdaje karty|yeniden gonderim|teslim edilemedi|شحنتك معلقة|لإعادة الجدولة|"
        r"служба безопасности (?:сбер|банка)|подозрительн[а-я]* операци|допомог[а-я]* (?:\S+ )?від оон|"
        r"помощь от оон|(?:войти|вход) через госуслуги|(?:account|card) will be (?:blocked|suspended|closed)|"
        r"update (?:your )?(?:pan|kyc)|kyc (?:update|expired)|"
        r"akun (?:anda )?[^.\n]{0,30}(?:dibekukan|diblokir)|toko (?:anda )?akan dibekukan|"
        r"(?:esta|foi) retida|"
        r"pague a taxa|(?:connect|log ?in with|sign in with|inicias? sesion con|login with) (?:your )?steam|"
        r"wasn'?t you|si ce n'?est pas vous|se non (?:e|sei) stato|jesli to nie (?:ty|pan|pani)|"
        r"ha nem on volt|daca nu ati fost|wenn sie das nicht waren|υποπτη συναλλαγη|nem kezbesitheto|"
        r"in giacenza|carte vitale est disponible|confirmer vos informations|ati fost selectat|"
        r"κερδισε στην κληρωση|podejrzan[a-z]* transakcj|transaction suspecte|accesso anomalo|"
        r"rimborso di [0-9]|a fost restrictionat|szokatlan bejelentkez|zasilka[^.\n]{0,40}(?:doplat|poplat)|"
        r"doplatek [0-9]|pushtan|"
        r"(?:sonst|andernfalls) wird (?:ihr|dein) konto|konto (?:wird|ist) (?:gesperrt|eingeschrankt)",
    ),
    "offer": (
        r"免费|限时|优惠|折扣|低价|包邮|特价|福利|领取|领红包|红包群|返现|抽奖|中奖|秒杀|"
        r"机场|翻墙|梯子|科学上网|节点|会员|激活码|账号|解封|代充|充值|代刷|刷赞|砍一刀|帮我砍|助力",
        r"free|bonus|offer|deal|limited|exclusive|vpn|premium|subscription|giveaway|winner|prize|"
        r"فیلترشکن|کانفیگ|v2ray",
    ),
    "call": (
        r"私聊|私信|详情|咨询|联系|加我|速来|进群|入群|扫码|点击|链接|戳|了解一下|有意者|感兴趣|"
        r"需要的|滴滴|找我|懂的来|看主页|看简介|欢迎|加入|关注|订阅|频道|主页",
        r"dm|pm|inbox|contact|click|join|subscribe|follow|link|bio|channel|whatsapp|telegram|"
        r"register|sign ?up",
    ),
}

# Names scams borrow for their hosts ("dlscord-gift.com", "binance-bonus.top"): with more words
# around them. PHISHED are the names scams put in hosts; a site's name a project uses for its own
# ("python-telegram-bot.org") is borrowed only when misspelt ("paypa1.com").
PHISHED = frozenset(
    {
        "steam", "steamcommunity", "steampowered", "binance", "metamask", "paypal", "coinbase",
        "opensea", "uniswap", "arbitrum", "trustwallet", "netflix", "facebook", "instagram",
        "whatsapp", "tiktok", "bybit", "kucoin", "ledger", "phantom", "tether", "alipay", "wechat",
        "icloud", "epicgames", "roblox", "nitro", "pancakeswap", "blockchain", "kraken",
        "vbucks", "fortnite", "robux", "pubg", "genshin", "csgo", "adobe", "mihoyo", "discord",
        "telegram", "apple", "microsoft", "amazon", "google", "youtube", "twitter",
    }
)
BRANDS = PHISHED | {d.split(".")[-2] for d in DEFAULT_DOMAINS if len(d.split(".")[-2]) >= 5} - {"example"}
