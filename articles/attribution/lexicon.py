"""The words the suggester knows: reporting verbs, pronouns, titles, what names an organisation.

Kept general on purpose (no names of real people or outlets): reporting verbs as style guides
and grammars list them, and the words English uses around a speaker.
"""


def words(text: str) -> frozenset[str]:
    """The words of ``text``: lexicons are written as prose-like lists, one word a blank."""
    return frozenset(text.split())


# Verbs that report speech or writing and may take a clause ("said that ...") or a quote.
SPEECH_VERBS = words(
    """
    say says said saying tell tells told telling add adds added adding state states stated
    explain explains explained note notes noted argue argues argued claim claims claimed
    insist insists insisted write writes wrote written ask asks asked warn warns warned
    announce announces announced declare declares declared continue continues continued
    report reports reported acknowledge acknowledges acknowledged admit admits admitted
    suggest suggests suggested predict predicts predicted promise promises promised vow vows
    vowed testify testifies testified tweet tweets tweeted post posts posted reply replies
    replied respond responds responded concede concedes conceded caution cautions cautioned
    complain complains complained recall recalls recalled observe observes observed emphasize
    emphasizes emphasized emphasise emphasises emphasised stress stresses stressed allege
    alleges alleged charge charges charged contend contends contended estimate estimates
    estimated maintain maintains maintained reveal reveals revealed confirm confirms confirmed
    deny denies denied urge urges urged demand demands demanded remark remarks remarked joke
    jokes joked quip quips quipped boast boasts boasted lament laments lamented counter
    counters countered conclude concludes concluded reiterate reiterates reiterated repeat
    repeats repeated mention mentions mentioned indicate indicates indicated assert asserts
    asserted affirm affirms affirmed agree agrees agreed disclose discloses disclosed
    acknowledging explaining adding noting arguing claiming insisting warning stating
    announcing writing asking telling suggesting calling describing declaring
    shout shouts shouted yell yells yelled cry cries cried whisper whispers whispered
    scoff scoffs scoffed retort retorts retorted chide chides chided
    pledge pledges pledged exclaim exclaims exclaimed criticize criticizes criticized
    criticise criticises criticised accuse accuses accused praise praises praised
    propose proposes proposed recount recounts recounted answer answers answered
    email emails emailed reads blast blasts blasted slam slams slammed mock mocks mocked
    proclaim proclaims proclaimed tout touts touted lash lashed thunder thundered
    """
)

# Verbs of belief and finding that news copy attributes like speech ("officials believe ...").
THOUGHT_VERBS = words(
    """
    believe believes believed think thinks thought feel feels felt fear fears feared hope
    hopes hoped expect expects expected know knows knew worry worries worried show shows
    showed shown find finds found learn learns learned learnt
    """
)

# "called X 'Y'": the quoted words are what the speaker called something.
NAMING_VERBS = words(
    "call calls called dub dubs dubbed label labels labeled labelled term terms termed "
    "brand brands branded describe describes described deride derides derided"
)

# Verbs that take an addressee before the clause: "told reporters that ...".
ADDRESSEE_VERBS = words("tell tells told telling warn warns warned assure assures assured")

PERSON_PRONOUNS = words("he she him her i we you")
GROUP_PRONOUNS = words("they it")
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | {"who", "which"}

# Words between a subject and its verb: "Smith also said", "she had previously told".
AUXILIARIES = words(
    """
    also has have had would will could should may might did does do is was are were be been
    being later then once again previously recently earlier further repeatedly often
    not never reportedly allegedly apparently already simply flatly privately publicly
    quickly explicitly
    """
)

# Words that end a subject when walking back from its verb.
SUBJECT_STOPS = words(
    """
    and or but that which who whom whose what when where while because if as since though
    although after before than so to in on at by with from into about against over under
    for is was are were be been said says told after during without through says
    """
)

TITLES = words(
    """
    mr mrs ms miss dr prof sen senator rep representative gov governor president
    vice secretary minister prime chancellor judge justice gen general col colonel lt
    lieutenant sgt sergeant capt captain adm admiral mayor ambassador envoy director chief
    chairman chairwoman chair speaker leader rev reverend father sister pope king queen
    prince princess lord lady sir dame spokesman spokeswoman spokesperson commissioner
    attorney officer detective sheriff professor coach candidate nominee former the
    councillor councilor councilman councilwoman alderman assemblyman assemblywoman
    """
)

# Nouns that describe a person, so that "the diplomat said" can be resolved to a name.
PERSON_NOUNS = words(
    """
    spokesman spokeswoman spokesperson official officials diplomat envoy president minister
    secretary senator governor mayor candidate nominee leader chairman chairwoman director
    chief executive lawyer attorney judge officer aide adviser advisor analyst expert
    professor economist strategist source sources resident residents witness witnesses
    man woman father mother son daughter husband wife businessman businesswoman activist
    representative congressman congresswoman lawmaker lawmakers ambassador manager founder
    author writer reporter correspondent anchor host commentator critic critics supporter
    supporters voter voters member members student students worker workers doctor doctors
    scientist scientists researcher researchers campaigner campaigners organizer organiser
    pollster pollsters
    """
)

# Nouns that describe an organisation: "the influential US daily", "the agency said".
ORGANISATION_NOUNS = words(
    """
    daily newspaper paper agency company firm group organization organisation department
    ministry government administration campaign committee party network outlet magazine
    website site broadcaster station channel court office bureau council union association
    institute university study report poll survey statement
    """
)

# Words that make a capitalised name an organisation rather than a person.
ORGANISATION_WORDS = words(
    """
    department house party press times post news committee administration agency council
    court congress university association network campaign foundation institute bureau
    office senate ministry service patrol corp inc company group union commission journal
    magazine review television radio tv center centre fund bank board authority police
    school college church army navy force forces government tribune herald daily gazette
    examiner guardian telegraph monitor reuters project coalition alliance league club
    organization organisation society trust laboratory laboratories
    """
)

# Capitalised words that start sentences or titles without naming anyone.
NOT_NAMES = words(
    """
    the a an this that these those it its he she they we i you his her their our my
    in on at for but and or if when while after before as so yet still then there here
    what who why how where which mr mrs ms dr
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december
    """
)

# Words after which a quotation is a title or a name, not speech: 'the film "Up"'.
TITLE_CUES = words(
    """
    book film movie show series song album play novel article column headline titled
    entitled headlined named nicknamed program programme episode slogan hashtag campaign
    term word phrase known so-called
    """
)

ABBREVIATIONS = words(
    """
    mr mrs ms dr prof sen rep gov gen col lt sgt capt adm rev st jr sr inc corp ltd co
    jan feb mar apr jun jul aug sep sept oct nov dec no vs etc u.s u.k u.n d.c
    """
)
