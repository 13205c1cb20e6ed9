"""Hand-written text bank for the synthetic sample corpus (see :mod:`newssift.synthetic.generator`).

Every sentence in this module was written for the newssift project; nothing is copied from
published articles.  People, companies, parties, teams, drugs, films and outlets are fictional
(real country and city names are used only as neutral settings).

Templates use ``{slot}`` placeholders that :mod:`newssift.synthetic.generator` fills per article with one
consistent value per slot (so ``{person}`` is the same person everywhere in an article, and
``{person_last}`` is that person's surname).

The editorial bank is keyed by topic; each topic has:

* ``headlines``  – headline templates
* ``ledes``      – opening paragraphs (hard-news style)
* ``body``       – general paragraphs
* ``quotes``     – paragraphs built around a quotation
* ``subheads``   – short in-article section headings (short *editorial* lines)
* ``short``      – one-sentence paragraphs and short quoted lines (short *editorial* lines)
* ``questions``  – explainer / Q&A questions
* ``list_intros`` and ``list_items`` – editorial bullet lists
* ``facts``      – "by the numbers" items
"""

from __future__ import annotations


def _lines(block: str) -> list[str]:
    """One template per non-empty line."""
    return [ln.strip() for ln in block.strip().splitlines() if ln.strip()]


# --------------------------------------------------------------------------------------------
# Slot value pools
# --------------------------------------------------------------------------------------------

FIRST_NAMES = _lines("""
Amelia
Daniel
Priya
Kwame
Sofia
Mateo
Hannah
Oliver
Aisha
Lucas
Mei
Tomás
Chloé
Rafael
Ingrid
Yusuf
Grace
Samuel
Leila
Marcus
Nadia
Ethan
Fatima
Jonas
Elena
Kenji
Zoë
Ibrahim
Clara
Diego
Anika
Patrick
Ruth
Omar
Isabel
Felix
Niamh
Arjun
Beatriz
Henrik
Lucía
Tariq
Maeve
Sipho
Yara
Victor
Hugo
Alice
Bruno
Dara
Esther
Gabriel
Hiroshi
Imogen
Joaquín
Katarzyna
Liam
Miriam
Nikolai
Olivia
Pedro
Rosa
Sebastian
Thandiwe
Valentina
William
Xavier
Yasmin
Adebayo
Bridget
Callum
Deepa
Emeka
Freya
Gustav
Helena
""")

LAST_NAMES = _lines("""
Okafor
Lindqvist
Moreau
Castillo
Brennan
Nakamura
Haddad
Kowalski
Fernández
Abernathy
Mensah
Varga
Holloway
Desai
Petrov
Achterberg
Quinn
Salazar
Whitfield
Osei
Marchetti
Rahman
Thornton
Ivanova
Delgado
Fischer
Novak
Adeyemi
Gallagher
Sørensen
Carvalho
Ashworth
Banerjee
Lefebvre
Kimura
Mwangi
O'Connell
Reyes
Stein
Tanaka
Vasquez
Whitaker
Yilmaz
Zhou
Bergström
Duarte
Eriksen
Halloran
Jovanovic
Kariuki
Lamb
Morgan
Nwosu
Park
Rossi
Sandoval
Turner
Usman
Valdez
Wren
Ferreira
Gupta
Hartley
Ionescu
Jensen
Kaur
Laurent
Müller
Nilsson
Pereira
Rasmussen
Schmidt
Tembo
Udeh
Vidal
Walsh
""")

CITIES = _lines("""
Lisbon
Nairobi
Manchester
Toronto
Melbourne
Glasgow
Rotterdam
Lyon
Seville
Gdansk
Accra
Cape Town
Auckland
Vancouver
Dublin
Bristol
Leeds
Hamburg
Turin
Porto
Montreal
Brisbane
Edinburgh
Cardiff
Belfast
Gothenburg
Valencia
Kraków
Lagos
Durban
Osaka
Busan
Chennai
Pune
Leipzig
Bordeaux
Bilbao
Adelaide
Halifax
Ottawa
Sheffield
Newcastle
Aarhus
Bergen
Tampere
Graz
Ghent
Utrecht
""")

# (country, capital)
COUNTRIES = [
    ("Kenya", "Nairobi"),
    ("Portugal", "Lisbon"),
    ("Ghana", "Accra"),
    ("Chile", "Santiago"),
    ("Peru", "Lima"),
    ("Colombia", "Bogotá"),
    ("Norway", "Oslo"),
    ("Finland", "Helsinki"),
    ("Poland", "Warsaw"),
    ("Romania", "Bucharest"),
    ("Senegal", "Dakar"),
    ("Zambia", "Lusaka"),
    ("Malaysia", "Kuala Lumpur"),
    ("Indonesia", "Jakarta"),
    ("Vietnam", "Hanoi"),
    ("Mongolia", "Ulaanbaatar"),
    ("Tunisia", "Tunis"),
    ("Uruguay", "Montevideo"),
    ("Ecuador", "Quito"),
    ("Bolivia", "La Paz"),
    ("Nepal", "Kathmandu"),
    ("Bangladesh", "Dhaka"),
    ("Tanzania", "Dodoma"),
    ("Namibia", "Windhoek"),
    ("Ireland", "Dublin"),
    ("Austria", "Vienna"),
    ("Croatia", "Zagreb"),
    ("Lithuania", "Vilnius"),
    ("Paraguay", "Asunción"),
    ("Costa Rica", "San José"),
]

REGIONS = _lines("""
the north-east
the south-west
the northern provinces
coastal areas
the east of the country
rural districts
the western highlands
the capital region
the southern valleys
the border districts
""")

INTL_ORGS = _lines("""
the United Nations
the African Union
the regional security council
the Organisation for Regional Cooperation
the Southern Trade Community
the Coastal States Forum
""")

# (policy area, bill, ministry, minister's title)
POLICIES = [
    ("housing", "Housing Security Bill", "housing ministry", "housing minister"),
    ("social care", "Care Standards Bill", "health department", "health secretary"),
    ("transport", "Rail and Bus Reform Bill", "transport department", "transport secretary"),
    ("education", "Schools Funding Bill", "education department", "education secretary"),
    ("energy", "Energy Prices Bill", "energy department", "energy secretary"),
    ("immigration", "Border Controls Bill", "interior ministry", "interior minister"),
    ("tax", "Fair Taxation Bill", "finance ministry", "finance minister"),
    ("policing", "Community Safety Bill", "justice ministry", "justice secretary"),
    ("pensions", "Pensions Reform Bill", "work and pensions department", "pensions minister"),
    ("planning", "Planning and Infrastructure Bill", "communities department", "communities secretary"),
    ("childcare", "Early Years Bill", "education department", "children's minister"),
    ("water", "Rivers and Water Quality Bill", "environment department", "environment secretary"),
]

PARTIES = _lines("""
Progressive Alliance
National Renewal Party
Liberal Centre
Social Democratic Union
Green Future
People's Reform Party
Conservative Union
Labour and Co-operative Movement
Independent Citizens' List
Civic Forum
""")

COMMITTEES = _lines("""
public accounts committee
standards committee
home affairs committee
treasury select committee
constitutional reform committee
local government committee
""")

COMPANY_PREFIXES = _lines("""
Norvale
Castellan
Brightwater
Hallam
Kestrel
Marlow
Pentland
Ashby
Corvid
Dunmore
Elmstead
Fairhaven
Greyfield
Hartwell
Ivory
Juniper
Larchmont
Merrow
Northwind
Oakhurst
Pellham
Rowan
Selby
Thistle
Upland
Vantage
Wexford
Yarrow
Zephyr
Calder
""")

# (sector, company-name suffixes)
SECTORS = [
    ("retail", ["Stores", "Retail Group", "Shops"]),
    ("food", ["Foods", "Brands", "Dairies"]),
    ("energy", ["Energy", "Power", "Utilities"]),
    ("banking", ["Bank", "Financial", "Building Society"]),
    ("airline", ["Airways", "Air"]),
    ("logistics", ["Logistics", "Freight", "Shipping"]),
    ("housebuilding", ["Homes", "Construction"]),
    ("pharmaceutical", ["Pharma", "Therapeutics"]),
    ("telecoms", ["Telecom", "Networks"]),
    ("insurance", ["Insurance", "Assurance"]),
    ("hotel", ["Hotels", "Hospitality"]),
    ("fashion", ["Fashion", "Clothing"]),
]

TECH_COMPANIES = _lines("""
Quantix
Nimbus Labs
Helio Systems
Vireo
Byteforge
Lumina Tech
Orbital Software
Cobalt AI
Stratus Networks
Pixelwise
Arclight
Tessellate
Mosaic Data
Kinetix
Parallax Devices
Silicon Meadow
""")

PRODUCTS = _lines("""
Orbit 7 smartphone
Lumen Pro laptop
Halo smart speaker
Pulse fitness tracker
Vista tablet
Aria headset
Nova smartwatch
Fold X phone
Beacon home hub
Glide e-reader
""")

PLATFORMS = _lines("""
Chatterbox
Loopline
Threadly
PixelPost
Murmur
Kindred
Relay
Snapfeed
Hearth
Tandem
""")

FEATURES = _lines("""
cloud storage
ad-free viewing
advanced photo editing
priority customer support
longer video uploads
its AI assistant
verified profiles
offline downloads
""")

TOWNS = _lines("""
Castlebrook
Harrowfield
Millbridge
Eastmoor
Kingsmere
Redcliffe
Ashvale
Brackenfield
Dunhollow
Fernleigh
Glenmoor
Holbrook
Larkhill
Marshgate
Northam
Oakvale
Pendleford
Ravensworth
Saltmarsh
Thornbury
""")

TEAM_NICKNAMES = _lines("""
Rovers
United
Athletic
Falcons
Wanderers
City
Harriers
Royals
Lions
Rangers
Albion
Town
""")

VENUE_SUFFIXES = _lines("""
Park
Road
Stadium
Ground
Lane
Arena
""")

COMPETITIONS = _lines("""
the Premier Division
the National Cup
the Championship
the Continental Shield
the League Trophy
""")

HOSPITAL_FORMS = _lines("""
{town} General Hospital
the Royal {town} Infirmary
{town} University Hospital
St {saint}'s Hospital
the {town} and District Hospital
""")

SAINTS = _lines("""
Catherine
Luke
Margaret
Anne
Bartholomew
Hilda
Columba
Agnes
""")

CONDITIONS = _lines("""
type 2 diabetes
heart failure
rheumatoid arthritis
chronic kidney disease
severe asthma
psoriasis
lupus
Crohn's disease
""")

RISK_CONDITIONS = _lines("""
type 2 diabetes
heart disease
dementia
depression
stroke
bowel cancer
""")

DRUG_STEMS = _lines("""
vel
tor
zan
ori
mira
cal
dex
lum
sor
bren
""")

DRUG_ENDINGS = _lines("""
imab
atinib
oxetine
afil
iprazole
umab
ciclib
tide
""")

HEALTH_AGENCIES = _lines("""
The national health regulator
The medicines watchdog
The health technology assessment body
The public health agency
The clinical standards institute
""")

INSTITUTE_FORMS = _lines("""
the University of {city}
the {city} Institute of Technology
the Halvorsen Institute
the National Oceanography Centre
the Marchetti Laboratory for Materials Science
the Institute of Planetary Sciences in {city}
the {town} Research Centre
""")

JOURNALS = _lines("""
Nature
Science
Nature Astronomy
the journal Current Biology
Science Advances
the Proceedings of the National Academy of Sciences
the journal Geophysical Research Letters
""")

MISSIONS = _lines("""
Aurora
Meridian
Thalassa
Halcyon
Lyra
Ceres Explorer
""")

INSTRUMENTS = _lines("""
the James Webb Space Telescope
a new radio telescope in the Atacama desert
the largest optical telescope in the southern hemisphere
a space telescope launched two years ago
""")

SPECIES_GROUPS = _lines("""
tree frog
orchid
beetle
gecko
freshwater crab
bat
salamander
hummingbird
""")

FILM_ADJECTIVES = _lines("""
Quiet
Last
Silver
Burning
Hidden
Long
Broken
Golden
Distant
Winter
Restless
Borrowed
""")

FILM_NOUNS = _lines("""
Harbour
Summer
River
Garden
Kingdom
Lighthouse
Road
Orchard
Signal
Tide
Crown
Mirror
Hours
Shore
""")

ALBUMS = _lines("""
Glasshouse
Low Light
Paper Moons
Northbound
Salt and Honey
Small Hours
Tidal
Open Windows
Second Skin
Gold Coast Radio
""")

STUDIOS = _lines("""
Silverline Pictures
Harbourlight Films
Northgate Studios
Blue Door Productions
Kestrel Entertainment
""")

# --------------------------------------------------------------------------------------------
# Editorial bank
# --------------------------------------------------------------------------------------------

BANK: dict[str, dict[str, list[str]]] = {}

BANK["politics"] = {
    "headlines": _lines("""
{party} rebels force rethink on {policy} plan
{person} wins {party} leadership race
Budget vote looms as {role} warns of 'difficult choices'
By-election in {city} seen as test for government
Inquiry demanded over {ministry} delays
Lawmakers back {bill} despite backbench revolt
Parties clash over new limits on campaign donations
Government faces confidence vote after budget defeat
{person_last} promises {policy} overhaul within {num} months
Committee report criticises handling of public contracts
Council leaders warn of funding crisis ahead of local elections
Opposition sets out plan to tackle cost of living
{party2} demands answers on {policy} spending
Ministers split over timing of {policy} reforms
"""),
    "ledes": _lines("""
The government's flagship {bill} cleared its second reading on {weekday} by a margin of {num} votes, handing {person} a narrow victory after weeks of rebellion on the backbenches and a late concession on funding for local councils.
Opposition leaders have called for an independent inquiry after leaked documents suggested that officials at the {ministry} knew about delays to the {policy} programme months before ministers told parliament the scheme was on track.
{person}, the {role}, announced on {weekday} that the {party} would not support the budget in its current form, raising the prospect of a confidence vote before the end of {month}.
Voters in {city} go to the polls on {weekday} in a by-election that both major parties have described as a test of the government's standing, with polling suggesting a gap of just {num} points between the two leading candidates.
A cross-party committee has recommended sweeping changes to the way election campaigns are financed, including a cap on individual donations and new rules requiring parties to publish the name of anyone who gives more than a modest sum.
The {party} has chosen {person} as its new leader after a bruising {num}-week contest, ending a period of infighting that saw the party slip to third place in national opinion polls.
Ministers are preparing to scale back plans for a {policy} reform after a rebellion by {num} of their own lawmakers, according to three people familiar with the discussions who spoke on condition of anonymity.
Parliament erupted in angry exchanges on {weekday} as {person} defended the decision to delay publication of a report into government contracts awarded during the {year} budget round.
"""),
    "body": _lines("""
Under the proposals, households earning less than {big} a year would be exempt from the new charge, while larger landlords would face an annual levy linked to the number of properties they own. Officials estimate the measure could raise {money} over five years.
Critics argue the timing is no coincidence. With local elections due in {month}, the government is keen to show progress on {policy}, an issue that consistently ranks among voters' top three concerns in surveys carried out across the country.
The {committee} heard evidence from more than {num} witnesses over four months, including council leaders, civil servants and campaigners. Its final report runs to {big2} pages and makes {num2} recommendations, several of which would require new legislation.
{person_last} has faced mounting pressure since the spring, when a series of poor results in regional elections left the party without control of several councils it had held for decades. Allies insist the leadership is secure, but few expect the criticism to fade quickly.
The bill now moves to committee stage, where amendments are expected from both sides of the chamber. Several lawmakers have signalled they will push for stronger protections for tenants, while others want the levy phased in more slowly to give landlords time to adjust.
Turnout in the last general election was {pct}, the lowest in a generation, and analysts say the parties are struggling to persuade younger voters that politics can deliver change on housing, wages and the cost of living.
In a letter seen by this newspaper, {num} members of the governing coalition urged the {role} to reconsider the cuts, warning that the plan risked alienating the very voters who had delivered the party's majority at the last election.
The {ministry} said the delays were caused by problems with an outdated computer system and insisted that no public money had been lost. A spokesperson added that an internal review had already begun and would report by the end of the year.
The {party2} accused ministers of treating parliament with contempt. Its spokesperson on {policy}, {critic}, said the government had "run out of ideas and run out of road" and called for a clear timetable for the reforms.
Public finances remain tight. The independent budget office warned last month that borrowing was running {money} ahead of forecasts, leaving little room for the spending increases that many lawmakers on both sides have been demanding.
Polling published on {weekday} suggested that {pct} of voters believe the country is heading in the wrong direction, up from a year ago. The same survey found trust in parliament at its lowest level since the pollster began asking the question.
The debate exposed divisions within the opposition as well. Some members argued the party should back the bill in principle and seek to amend it, while others wanted to vote against it outright and force the government to rely on its own numbers.
Election officials in {city} said they had recruited an extra {big} staff to cope with demand for postal ballots, which have risen sharply since the rules were relaxed. Counting is expected to continue well into the early hours of the morning.
The reforms would also give the electoral commission new powers to fine parties that break spending limits. Campaigners have long argued that the current maximum penalty is far too low to deter wealthy donors and well-funded campaigns.
Behind the scenes, aides have been working on a compromise that would delay the most controversial elements until after the next election. One senior official described the talks as "difficult but constructive" and said a deal could be reached within days.
Local councils say they have been left to fill the gaps. The association representing them estimates that budgets have fallen by {pct} in real terms over the past decade, and warns that several authorities are close to running out of money.
{critic}, a former minister who now chairs the {committee}, said the findings should be "a wake-up call for every government department". The committee wants ministers to publish a full response within {num} weeks.
The prime minister is expected to reshuffle the cabinet before the summer recess, with speculation focusing on the future of the {role}. Several junior ministers are tipped for promotion, including {person3}, who has impressed colleagues on the {policy} brief.
Constitutional experts say the standoff is unusual but not unprecedented. If the budget fails to pass, the government could try again with a revised version, call an early election or seek a temporary spending agreement to keep public services running.
The vote was closer than expected. {num} members abstained, and several who had privately expressed doubts ultimately sided with the government after receiving assurances that the measure would be reviewed within {num2} years.
Campaign finance has become a recurring source of controversy. Last year it emerged that a single donor had given more than {money_small} to one party through a network of companies, prompting calls for tighter rules on where political money comes from.
The {party} has promised to publish a fully costed manifesto before the summer. Its leader has said the party will not make promises it cannot pay for, but rivals accuse it of avoiding hard choices on tax and public spending.
Government whips spent the weekend telephoning wavering lawmakers, and several were invited to private meetings with the {role}. One backbencher said the pressure had been intense but insisted the concerns raised were about substance rather than personalities.
The by-election was triggered by the resignation of the sitting member, who stepped down citing family reasons after {num} years in the seat. The constituency has changed hands only twice since it was created, and the governing party held it last time with a comfortable majority.
"""),
    "quotes": _lines("""
"This is about fairness, plain and simple," said {person}, the {role}. "Families in {city} have waited long enough for a government that takes their concerns seriously, and we intend to deliver."
"We will scrutinise every line of this bill," {critic} told reporters outside parliament. "If ministers think they can rush it through without proper debate, they are going to be disappointed."
"Nobody voted for chaos," said {lawmaker}, a {party} lawmaker who represents a marginal seat near {city}. "People want to see their leaders getting on with the job, not fighting among themselves."
"The report is damning, and the government must respond in full," said {critic}. "Anything less would be an insult to the people who gave evidence and to the taxpayers who footed the bill."
Asked whether the leadership was safe, {person_last} replied: "I have the support of my colleagues, and I am focused on the job the public elected us to do. Everything else is noise."
"""),
    "subheads": _lines("""
What the bill would change
A divided party
The road to the vote
Pressure from the backbenches
Money and influence
Reaction at Westminster
"""),
    "short": _lines("""
The vote is expected on {weekday}.
"We are not going anywhere," {person_last} said.
Neither party responded to requests for comment.
It was not always this way.
"It is a mess," one minister admitted.
The {ministry} declined to comment.
"""),
    "questions": _lines("""
What is in the {bill}?
Why are lawmakers rebelling?
Who would pay the new levy?
Could the government fall?
When will voters have their say?
"""),
    "list_intros": _lines("""
The committee's main recommendations include:
Key measures in the package:
"""),
    "list_items": _lines("""
A cap on individual donations to political parties
Publication of all gifts above a set threshold within {num} days
New powers for the electoral commission to audit party accounts
A ban on anonymous online political advertising
An independent review of constituency boundaries every {num2} years
Extra funding for councils that run elections
A legal duty on ministers to respond to committee reports
"""),
    "facts": _lines("""
{num} lawmakers voted against the government
{pct} of voters say the country is on the wrong track
{money} in extra borrowing forecast this year
{big} postal ballots requested in {city}
{num2} recommendations in the committee's report
"""),
}

BANK["world"] = {
    "headlines": _lines("""
Floods displace thousands in northern {country}
{country} and {country2} agree to reopen border crossing
Run-off vote in {country} too close to call
Summit in {city} ends with pledge on climate finance
UN appeals for {money} as drought deepens
{country} expels {country2} diplomats amid escalating row
Protesters fill streets of {capital} for third night
Monitoring mission extended as border tensions rise
Envoy heads to {capital} for fresh round of talks
Refugee numbers climb as aid agencies warn of funding gap
Election observers report long queues but little violence
Regional leaders split over reconstruction fund
"""),
    "ledes": _lines("""
Leaders from more than {num} countries gathered in {city} on {weekday} for a summit aimed at reviving stalled talks on cross-border trade and climate finance, amid deep disagreements over who should pay for adaptation in the poorest nations.
Floodwaters have forced more than {big} people from their homes in northern {country} after days of torrential rain, officials said, with relief agencies warning that access to clean water is becoming a pressing concern.
{country} and {country2} signed an agreement on {weekday} to reopen a key border crossing that has been closed for {num} months, a move expected to ease the movement of goods and allow separated families to reunite.
Voters in {country} are electing a new president on {weekday} in a run-off that pits a former central banker against a populist mayor, in what observers describe as the most polarised contest in a generation.
The United Nations has appealed for {money} in emergency funding to support people displaced by drought across the region, warning that food stocks in several districts could run out before the next harvest.
{country} expelled {num} officials from the {country2} embassy on {weekday}, accusing them of activities incompatible with their diplomatic status, in the latest escalation of a dispute that has strained relations for much of the year.
Thousands of protesters marched through the centre of {capital} for a third consecutive night, demanding the resignation of the interior minister after a contested decision to postpone regional elections.
Foreign ministers from {intl_org} agreed on {weekday} to extend a monitoring mission in a disputed border area for another {num} months, after reports of renewed clashes between armed groups.
"""),
    "body": _lines("""
The talks follow months of shuttle diplomacy by envoys from {country2}, who have been pressing both sides to agree a framework for future negotiations. Officials familiar with the discussions said progress had been made on trade but not on the sharing of water from the river that runs along the frontier.
Aid workers on the ground describe a deteriorating situation. Roads into the worst-hit areas have been washed away, and helicopters are being used to drop supplies to villages that have been cut off for more than a week.
The agreement still needs to be ratified by both parliaments, a process that could take months. Opposition parties in {country} have already said they will challenge parts of the deal, arguing that it gives too much away on customs checks.
International observers said voting had been largely peaceful, though they noted reports of long queues and shortages of ballot papers at some polling stations in rural areas. Preliminary results are expected within {num} days.
The region has experienced {num} consecutive failed rainy seasons, and the cost of staple foods has more than doubled in some markets. Humanitarian groups say children under five are most at risk, with malnutrition rates climbing in several camps.
The foreign ministry in {capital} summoned the ambassador on {weekday} to deliver a formal protest. In a statement, it said it reserved the right to respond "in a proportionate manner" and called on {country2} to respect international law.
Relations between the two neighbours have been tense since a dispute over fishing rights flared up last year. Trade between them has fallen by {pct} since then, according to customs data, hurting exporters on both sides of the border.
The summit's final communique, agreed after overnight negotiations, commits members to doubling adaptation funding by {future_year}. Campaigners welcomed the pledge but said it fell far short of what vulnerable countries need to prepare for more frequent storms and heatwaves.
Migration has become a central issue in the campaign. Both candidates have promised to tighten border controls, though they differ sharply on how to treat the estimated {big} people who arrived in the country over the past two years.
The UN refugee agency said more than {big2} people had crossed into neighbouring countries since the start of the year, many of them women and children. Reception centres near the border are operating at several times their intended capacity.
Analysts say the outcome will be closely watched across the region, where several governments face elections in the coming year and are wary of a wave of anti-incumbent sentiment fuelled by high inflation and unemployment.
The protests began peacefully but turned violent late on {weekday} when police used tear gas to disperse crowds near the parliament building. Local media reported {num} arrests, and a rights group said several journalists had been detained briefly.
The monitors will be given unrestricted access to the area for the first time, a key demand of the smaller member states. A spokesperson said the extension would allow the mission to verify reports of displacement and damage to farmland.
The government has declared a state of emergency in {num} provinces and deployed the army to help with evacuations. The prime minister, who visited the affected areas on {weekday}, promised compensation for families who lost their homes.
The new crossing will have capacity for around {big} lorries a day, according to officials, and will include a dedicated lane for agricultural exports. Businesses in the border towns, many of which closed during the shutdown, hope to reopen within weeks.
Critics say the expulsions are largely symbolic and unlikely to change either government's position. But they come at a delicate moment, with both countries negotiating a new energy deal that would supply gas to {country2} through the winter.
Turnout was reported at {pct}, slightly higher than in the first round. Both campaigns claimed momentum in the final days, with the populist candidate drawing large crowds in the industrial north and the former banker stronger in the cities.
The envoy, {envoy}, is expected to travel to {capital} next week to brief the government on the outcome of the talks. Western diplomats say a breakthrough before the end of the year remains possible but far from certain.
Climate scientists say the region is warming faster than the global average, making extreme rainfall events more likely. The last major floods, in {year}, killed dozens of people and caused damage estimated at {money}.
The foreign ministers also discussed sanctions, shipping security and a proposal to create a regional fund for reconstruction. No agreement was reached on the fund, which several larger members fear would become a permanent drain on their budgets.
The election commission has promised to publish results from every polling station online, a first for the country. Opposition parties had demanded the change after accusing officials of delaying the count in previous contests.
Diplomatic sources in {capital} said the dispute had been building for weeks, with both sides accusing the other of spreading misleading claims in state media. The two countries recalled their ambassadors for consultations last spring.
The drought has also hit livestock herders hard. Local officials estimate that tens of thousands of cattle and goats have died, wiping out the savings of families for whom animals are both income and insurance.
Ports along the coast have reopened after being closed for {num2} days, but shipping companies warn that delays will take weeks to clear. Exporters of fruit and flowers, which spoil quickly, say they have already lost much of this season's harvest.
"""),
    "quotes": _lines("""
"We cannot wait for the next disaster before we act," said {envoy}, the UN envoy for the region. "The money pledged today will save lives, but only if it arrives quickly."
"This agreement is good news for ordinary people on both sides of the border," {official}, the foreign minister of {country}, told reporters in {capital}. "It shows what can be achieved through patient diplomacy."
"We just want to know that our votes will be counted fairly," said {resident}, a teacher who queued for more than two hours at a polling station in {capital}.
"The situation is catastrophic," said {resident}, who coordinates relief efforts for a local charity. "People have lost everything - their homes, their animals, their crops. They need help now, not next month."
"Our door remains open to dialogue," the ministry said in a statement issued late on {weekday}. "But we will not accept interference in our internal affairs from any quarter, and we will defend our interests by every lawful means."
"""),
    "subheads": _lines("""
A region under strain
Diplomacy at a crossroads
The humanitarian picture
What the deal includes
Reaction abroad
The view from the border
"""),
    "short": _lines("""
The talks resume on {weekday}.
"We have nothing left," one farmer said.
The embassy did not respond to a request for comment.
The rain has not stopped.
Polls close at 8pm local time.
"It is a first step," a senior diplomat said.
"""),
    "questions": _lines("""
What has been agreed?
Who is affected by the floods?
Why are relations so tense?
What happens if neither candidate concedes?
How much aid has arrived?
"""),
    "list_intros": _lines("""
The agreement covers:
Aid agencies say the most urgent needs are:
"""),
    "list_items": _lines("""
Clean drinking water for displaced families
Temporary shelter for an estimated {big} people
Reopening of the main customs post within {num} days
A joint commission to settle disputes over fishing rights
Medical supplies for field clinics near the border
Safe passage for aid convoys along the northern highway
Regular meetings of foreign ministers every {num2} months
"""),
    "facts": _lines("""
{big} people displaced
{num} provinces under a state of emergency
{money} requested by the UN
{pct} turnout in the first round
{num2} nights of consecutive protests
"""),
}

BANK["business"] = {
    "headlines": _lines("""
{company} profits beat forecasts as costs ease
{company} to cut {big} jobs in restructuring
Shares in {company} slide after profit warning
Inflation falls to {pct} but food prices stay high
{company} agrees {money} takeover of {company2}
Central bank holds rates as growth slows
Retailers report weakest {month} sales in years
{company} chief executive {person} to step down
Small businesses warn over rising energy bills
Investors pile into {sector} stocks after strong results
Factory output rises for {num} months in a row
Union and {company} reach pay deal to avert strike
"""),
    "ledes": _lines("""
{company} reported a {pct} rise in first-half profit on {weekday}, beating analysts' expectations as lower energy and shipping costs offset weaker demand in its core {sector} business.
{company} plans to cut about {big} jobs over the next two years as part of a restructuring aimed at saving {money} a year, the company said on {weekday}, sending its shares up {pct2} in early trading.
The central bank left interest rates unchanged on {weekday}, saying inflation was falling broadly in line with its forecasts but warning that wage growth remained too strong to justify a cut before the end of the year.
{company} has agreed to buy its rival {company2} for {money} in a deal that would create the largest player in the {sector} market and is likely to face close scrutiny from competition regulators.
Annual inflation slowed to {pct} in {month}, official figures showed on {weekday}, the lowest rate in more than two years, although food and rent prices continued to rise faster than the overall index.
Shares in {company} fell sharply on {weekday} after the {sector} group cut its full-year profit forecast for the second time in three months, blaming a slowdown in orders from its biggest customers.
{person}, who has led {company} for {num} years, will step down as chief executive at the end of the year, the company said, in a move that took some investors by surprise.
Retail sales fell unexpectedly in {month} as shoppers cut back on clothing and household goods, according to figures published on {weekday}, adding to signs that consumers remain cautious despite falling inflation.
"""),
    "body": _lines("""
Revenue for the period rose to {money}, while operating margins improved by almost two percentage points. The company raised its dividend by {pct2} and said it would return a further {money_small} to shareholders through a share buyback.
The job cuts will fall mainly on back-office functions and management layers, the company said, with most of its stores and factories unaffected. Unions said they had not been consulted and would seek urgent talks with management.
Economists had been divided ahead of the decision, with a minority expecting a cut. Markets now expect the first reduction in borrowing costs in {month}, although policymakers stressed that future decisions would depend on the data.
The combined group would have annual sales of around {money} and more than {big} employees across {num} countries. Executives said the deal would generate cost savings of {money_small} a year within three years, partly through closing overlapping sites.
Analysts said the results showed the company was benefiting from price increases introduced last year, but questioned whether it could maintain margins as competition intensifies and larger customers push for discounts.
The company's shares have fallen by {pct} since the start of the year, valuing the business at about {money}. Several large investors have called for a review of its strategy, including a possible sale of its loss-making international division.
Small and medium-sized businesses have been hit hardest by higher borrowing costs. A survey by a business lobby group found that {pct} of firms had delayed investment plans, and many said they expected to raise prices over the next three months.
The {sector} sector has been under pressure as customers shift spending online and landlords push up rents in city centres. Several chains have closed stores this year, and industry figures suggest vacancy rates on high streets are at a decade high.
{analyst}, an analyst at an investment firm in {city}, said the numbers were better than feared but not good enough to change the longer-term picture. "The business is stabilising, not growing," {analyst_last} wrote in a note to clients.
Wage growth has slowed from its peak but remains well above the rate consistent with the central bank's inflation target. Employers have reported difficulty filling vacancies in construction, hospitality and social care.
The deal is subject to approval by shareholders and regulators in several jurisdictions. Lawyers said the competition authority was likely to open an in-depth investigation, which could take up to {num} months and may require the companies to sell some brands.
Energy costs, which soared two years ago, have fallen back but remain higher than before the crisis. Manufacturers say that, combined with higher interest rates, this has made it difficult to compete with rivals in countries where power is cheaper.
The company said it would invest {money_small} in new automated warehouses and in upgrading its online platform, which now accounts for roughly {pct} of sales. It also plans to open {num} smaller convenience stores in suburban areas.
Under the terms of the pay deal, workers will receive a rise of {pct2} this year and a further increase next year linked to inflation. The union said members would be balloted on the offer over the coming weeks.
Consumer confidence improved slightly in {month}, but households remain wary of big purchases. Mortgage approvals rose for the third month running, suggesting the housing market may be stabilising after a sharp slowdown.
{person_last} joined {company} from a rival in {year} and oversaw a period of rapid expansion, including the acquisition of several smaller brands. But the company's performance has lagged its competitors over the past two years, and the share price has roughly halved.
Bond markets reacted calmly to the figures. Yields on ten-year government debt were little changed, while the currency edged higher against the dollar and the euro in afternoon trading.
The profit warning is the latest in a series from companies exposed to consumer spending. Investors have become increasingly nervous about the outlook, and an index of mid-sized companies has underperformed the wider market this year.
Output from factories rose {pct2} compared with the previous month, driven by stronger demand for cars, machinery and pharmaceuticals. Exporters said orders from Europe and Asia had picked up, although American demand remained subdued.
The board has begun a search for a successor and will consider internal and external candidates, the company said. The chair, {person3}, thanked {person_last} for steering the business through what was described as a challenging period.
Investment in artificial intelligence and data centres has been one of the few bright spots for the economy this year. Technology spending by large companies rose {pct2}, according to a survey of finance directors, even as they cut back elsewhere.
The company has been trying to reduce its reliance on a small number of large customers, which account for more than half of revenue. It has signed supply agreements with several smaller firms and opened a sales office in {city}.
House prices rose {pct2} in the year to {month}, according to a closely watched index, with the strongest growth outside the big cities. First-time buyers still face the highest deposit requirements relative to income on record.
The takeover would be the largest in the sector for more than a decade. Shares in {company2} jumped {pct} on the news, closing just below the offer price, a sign that investors expect the deal to go through.
"""),
    "quotes": _lines("""
"We have taken tough decisions to put the business on a firmer footing," said {person}, chief executive of {company}. "The second half has started well, and we are confident about the year ahead."
"This is a compelling combination for customers, employees and shareholders," {person} said in a statement announcing the deal. "Together we will be able to invest more and serve customers better."
"Inflation is heading in the right direction, but the job is not done," the central bank governor, {governor}, told a news conference. "We need to be sure it will stay low before we can ease policy."
"Our members are being squeezed from every side," said {owner}, who runs a bakery in {city} and chairs the local chamber of commerce. "Rent, wages, energy, ingredients - everything has gone up."
"The market has been waiting for a clear plan, and today it did not get one," said {analyst}, a fund manager whose firm holds shares in {company}.
"""),
    "subheads": _lines("""
Costs and margins
What investors want
The outlook
A tough year for retailers
Behind the deal
Wages and prices
"""),
    "short": _lines("""
Shares closed {pct2} higher.
"We are not for sale," {person_last} said.
The company declined to comment further.
That may prove optimistic.
The decision was unanimous.
Trading resumes on {weekday}.
"""),
    "questions": _lines("""
Why is the company cutting jobs?
What does the deal mean for customers?
When will interest rates fall?
How are small firms coping?
Who will replace the chief executive?
"""),
    "list_intros": _lines("""
The main points from the results:
The restructuring plan includes:
"""),
    "list_items": _lines("""
Revenue up {pct} to {money}
Closure of {num} underperforming stores
A new distribution centre near {city}
A {money_small} share buyback
Price cuts on more than {big} everyday products
A freeze on management pay for {num2} years
The sale of its loss-making overseas arm
"""),
    "facts": _lines("""
{money} in annual revenue
{big} jobs at risk
{pct} fall in the share price this year
{num} stores to close
{pct2} inflation in {month}
"""),
}

BANK["technology"] = {
    "headlines": _lines("""
{tech_company} unveils {product} with new AI features
Regulators open inquiry into {tech_company} data practices
{tech_company} shares jump on strong cloud demand
Chip shortage eases but prices stay high
Cyber attack disrupts services at {company}
{tech_company} to charge for {feature} on {platform}
Start-up behind warehouse robots raises {money_small}
Outage leaves millions unable to access {platform}
New rules on powerful AI models come into force
{tech_company} recalls devices over battery fault
Social media firms face fines over child safety
Software update fixes charging bug in electric cars
"""),
    "ledes": _lines("""
{tech_company} unveiled its latest {product} on {weekday}, betting that a new generation of on-device artificial intelligence features will persuade customers to upgrade after two years of sluggish sales.
Data protection regulators have opened an investigation into how {tech_company} uses personal information to train its artificial intelligence systems, following complaints from privacy groups in {num} countries.
Millions of users were unable to access {platform} for several hours on {weekday} after what the company described as a configuration error during routine maintenance, one of the longest outages in the service's history.
A {city}-based start-up that makes software for managing warehouse robots has raised {money_small} from investors, valuing the company at more than {money} less than three years after it was founded.
{company} said on {weekday} that a cyber attack had disrupted its online services and that it was working with specialists to restore systems, in the latest in a string of incidents affecting large organisations this year.
{tech_company} is recalling around {big} devices after reports that batteries in some units could overheat while charging, the company said, advising customers to stop using the affected models immediately.
New rules governing the most powerful artificial intelligence models came into force on {weekday}, requiring developers to publish summaries of their training data and to report serious incidents to regulators within {num} days.
Global shipments of personal computers rose {pct} in the last quarter, according to industry estimates, the strongest growth in three years as businesses replaced machines bought during the pandemic.
"""),
    "body": _lines("""
The device includes a redesigned processor that the company says is {pct2} faster than its predecessor and uses less power. Many of the new features, such as live translation during calls and automatic summaries of long messages, run without sending data to the cloud.
Privacy campaigners argue that users were never given a meaningful choice about whether their posts and photos could be used to train the models. The company says it relies on a legal basis known as legitimate interest and offers an option to opt out.
Engineers traced the problem to a change in how traffic was routed between data centres, the company said in a post on its status page. Services were gradually restored over the afternoon, although some users reported problems sending messages into the evening.
The funding round was led by a venture capital firm based in {city2}, with participation from existing investors. The company plans to use the money to double its engineering staff and expand into North America and Asia.
Security researchers said the attack bore the hallmarks of a ransomware group that has targeted retailers and logistics companies in recent months. Such groups typically steal data before encrypting systems and then demand payment in cryptocurrency.
The company said it had received {num} reports of devices overheating, including {num2} cases in which users suffered minor burns. Customers will be offered a replacement or a full refund, and a website has been set up to check whether a serial number is affected.
Developers of general-purpose models will also have to test their systems for risks such as the generation of malicious code and take steps to protect against cyber attacks. Fines for breaching the rules can reach a percentage of a company's global turnover.
Demand for chips used in data centres has soared as companies race to build the computing power needed for artificial intelligence. That has squeezed supplies of some components for consumer electronics, pushing up prices for memory and graphics cards.
{analyst}, an analyst who follows the industry, said the launch was an evolution rather than a revolution. "The hardware is good, but most people will struggle to tell the difference from last year's model in everyday use," {analyst_last} said.
The investigation will examine whether the company gave users clear information about how their data would be processed and whether it carried out a proper assessment of the risks. If breaches are found, regulators can order changes and impose fines.
Cloud computing revenue at {tech_company} grew {pct} in the quarter, beating expectations, as business customers signed larger contracts for storage and AI services. The company said it would spend {money} on new data centres this year.
The outage highlighted how dependent businesses have become on a handful of online platforms. Small retailers that use {platform} to take orders said they had lost a day's trade, and some called for compensation.
The start-up's software allows robots from different manufacturers to work together in the same warehouse, something that has traditionally been difficult because each uses its own control system. It already has customers in {num} countries.
Experts advise organisations to keep offline backups, update software promptly and train staff to recognise phishing emails, which remain the most common way for attackers to gain access to company networks.
The new features will be rolled out first in English, with other languages following next year. Older devices will receive some of the updates, but the most demanding tools will only work on models with the latest chips.
Critics say the rules are too complex and could slow innovation, while supporters argue they provide clarity for businesses and protection for citizens. Several large technology companies have said they will comply but have lobbied for changes to the detail.
The company's shares rose {pct2} in after-hours trading. Investors have rewarded technology companies that can show artificial intelligence is generating revenue rather than simply adding costs, and the results suggested the investment was beginning to pay off.
Battery fires remain rare, but the growing number of rechargeable devices in homes has led fire services to issue warnings about charging phones and e-bikes overnight, using cheap replacement chargers or leaving devices on soft furnishings.
The move to charge for {feature} marks a shift for {tech_company}, which has long relied on advertising. Subscription revenue has become increasingly important as advertisers cut spending and privacy changes make targeted ads harder to sell.
Open-source developers have raised concerns that the rules could impose heavy obligations on volunteers who publish models for free. Officials say exemptions exist for non-commercial projects, but the boundaries remain unclear.
The company has been criticised in the past for the difficulty of repairing its devices. This year's model uses screws rather than glue to hold the battery in place, a change that repair campaigners described as small but welcome.
Investors will be watching closely for signs that spending on artificial intelligence is slowing. {tech_company} said orders for its data centre products were still running ahead of supply and that it expected that to continue well into next year.
Children's charities have long argued that platforms do too little to keep young users safe. Under the new code, services must check users' ages more rigorously and switch off features such as location sharing by default for under-18s.
The software update, which is delivered over the internet, fixes a fault that caused some cars to stop charging before the battery was full. Owners do not need to visit a dealer, although the company said a small number of older vehicles would need a hardware check.
"""),
    "quotes": _lines("""
"We think this is the most significant upgrade we have ever made," said {person}, who leads the product team at {tech_company}. "It is faster, it lasts longer, and it is genuinely more helpful."
"People have a right to know what happens to their data," said {critic}, a lawyer at a digital rights group. "Burying an opt-out in the settings menu is not good enough."
"We apologise to everyone affected," {tech_company} said in a statement. "We know how much people rely on our services, and we are reviewing our processes to make sure this does not happen again."
"The hardest part of robotics is not the robot, it is the software," said {founder}, the start-up's co-founder. "That is the problem we set out to solve."
"Paying the ransom only encourages these criminals," said {expert}, a former police investigator who now advises companies on cyber security. "The best defence is preparation: good backups, tested plans and staff who know what to look for."
"""),
    "subheads": _lines("""
What is new
The privacy question
How the outage unfolded
Follow the money
What users should do
The race for chips
"""),
    "short": _lines("""
The update is free.
"It just works," {person_last} said.
The company did not say how many users were affected.
Prices have not been announced.
The fix is expected next week.
"We are still investigating," a spokesperson said.
"""),
    "questions": _lines("""
Which devices are affected?
How can users opt out?
What caused the outage?
Is my data safe?
What do the new rules require?
"""),
    "list_intros": _lines("""
The main new features include:
Security experts recommend:
"""),
    "list_items": _lines("""
Live translation of phone calls in {num} languages
Automatic summaries of long email threads
A battery that the company says lasts {num2} hours
Turning on two-factor authentication for every account
Installing updates as soon as they are available
Keeping offline copies of important files
Using a password manager rather than reusing passwords
"""),
    "facts": _lines("""
{big} devices recalled
{pct} growth in cloud revenue
{money_small} raised by the start-up
{num} hours of disruption
{num2} countries where the service is available
"""),
}

BANK["sport"] = {
    "headlines": _lines("""
{team} beat {team2} {score} to go top
{person} wins first major title
{team} sack manager after poor run
Late goal sends {team} into cup final
{person_last} breaks national record in {city}
{team2} fight back to earn draw at {venue}
Injury rules {person} out for {num} weeks
{team} complete signing of {person}
Fans protest over ticket price rise at {team}
{person} to retire at end of season
{team} clinch title with {num2} games to spare
Rain delays final day of series in {city}
"""),
    "ledes": _lines("""
{team} moved to the top of the table with a {score} win over {team2} at {venue} on {weekday}, with {person} scoring twice in the second half to extend the side's unbeaten run to {num} matches.
{person} won the first major title of a promising career on {weekday}, coming from a set down to beat the defending champion in a final that lasted more than three hours.
{team} have sacked their manager, {coach}, after a run of {num} defeats in {num2} games left the club just above the relegation zone, ending a spell in charge that began with promotion less than two years ago.
A stoppage-time header from {person} sent {team} into the cup final after a tense semi-final against {team2} that had looked certain to go to penalties, sparking wild celebrations among the home supporters.
{person} broke the national record in the 1500 metres at a meeting in {city} on {weekday}, finishing in a time that would have been good enough for a medal at the last world championships.
{team2} came from two goals down to earn a draw at {venue}, denting {team}'s hopes of a first league title in {num} years and delighting a travelling support that had filled the away end.
{team} have completed the signing of midfielder {person} from {team2} for a fee reported to be {fee}, making the {age}-year-old the most expensive player in the club's history.
{person} announced on {weekday} that the current season will be the last, bringing to an end a {num}-year career that included {num2} national titles and a place in the record books.
"""),
    "body": _lines("""
The home side dominated possession in the first half but struggled to create clear chances against a well-organised defence. The breakthrough came shortly after the interval, when a low cross from the right was turned in at the near post.
It was a remarkable turnaround for a player who was ranked outside the top 100 at the start of the season. A change of coach in the spring and a more aggressive approach on return of serve have transformed the results.
The board said in a statement that the decision had not been taken lightly, but that results had fallen well short of expectations. A caretaker, {person2}, will take charge of the team for the match against {team2} on {weekday}.
Defending was the problem for much of the campaign. The team conceded {num} goals in its first {num2} league matches, more than any other side in the division, and repeated changes to the back four failed to produce a settled combination.
Conditions were difficult, with strong winds making it hard for runners to hold their position in the pack. {person_last} sat at the back of the leading group until the final lap before accelerating clear on the back straight.
The visitors' comeback began when {person2} curled a free-kick into the top corner just before the hour. The equaliser arrived with {num} minutes remaining, a scrappy finish after the goalkeeper had failed to hold a shot from distance.
The new signing is expected to go straight into the starting line-up for the derby at the weekend. The manager had made strengthening the midfield a priority after injuries left the squad short of options during the autumn.
Ticket prices for next season will rise by an average of {pct}, the club confirmed, the third increase in three years. Supporters' groups say the rise will price out younger fans and families and have organised a protest before the next home game.
Medical staff confirmed that the injury was a torn hamstring and that surgery would not be needed. The recovery is expected to take around {num} weeks, ruling the player out of the next round of international fixtures.
The win lifts {team} {num} points clear at the top, although their nearest rivals have a game in hand. With {num2} matches remaining, the title race looks set to go down to the final weekend.
Rain prevented any play before lunch, and when the players finally emerged the outfield was slow and the light poor. Only {num} overs were possible before the umpires took the players off again, leaving the match heading for a draw.
The semi-final was a tense affair. Neither side was willing to commit players forward, and chances were scarce until the final quarter of an hour, when both goalkeepers were called into action with a series of saves.
Over the course of the career, {person_last} won dozens of caps for the national team, captained the side at two major tournaments and became one of the most recognisable figures in the sport, admired for consistency as much as flair.
Attendances have risen sharply since the club moved to {venue}, which holds more than {big} spectators. The owners have spoken of expanding the stadium further if the team can establish itself in the top division.
The governing body said it would review the incident after footage appeared to show a player being struck by an object thrown from the crowd. The match was halted for several minutes while stewards identified the person responsible.
Women's football continues to grow at a rapid pace. Crowds at league matches this season are up {pct} on last year, and a new broadcast deal, the most valuable in the competition's history, was signed in the summer.
The record had stood for {num} years. {person_last}'s coach said the target had been to run a fast time later in the season, and that the performance showed there was more to come at the championships in {month}.
{coach}, the {team2} manager, was critical of the officiating after the match, arguing that the decisive goal should have been ruled out for a foul on the goalkeeper. The decision was checked by the video assistant and allowed to stand.
The club's academy has produced a string of first-team players in recent years, and several teenagers were given their debuts this season. The manager has said giving young players a chance is central to the club's long-term plans.
The final will be played at {venue} in {month}. Tickets will be allocated to season-ticket holders first, with any remaining seats released to members through a ballot.
{person} has scored in each of the last {num} league games, a run that has turned an inconsistent side into genuine contenders. Scouts from several larger clubs are understood to have watched the striker in recent weeks.
The second set turned on a single game. Serving at 4-4, {person_last} saved three break points with a mixture of big serves and brave volleys, and the momentum never shifted back.
Financial pressures are mounting at clubs in the lower divisions, where broadcast income is a fraction of that enjoyed at the top. Several have been placed under transfer embargoes this season after falling behind on tax payments.
The final stage of the race was neutralised after a crash in the closing kilometres brought down more than a dozen riders. Organisers said the decision was taken for safety reasons and that all riders would be given the same time.
"""),
    "quotes": _lines("""
"I am so proud of this group," said {person} after the match. "We stuck together when things were not going our way, and we got our reward."
"It has not sunk in yet," {person_last} said, holding the trophy. "When I was a kid I used to watch this tournament on television. To be standing here now is unbelievable."
"We are gutted," said {captain}, the {team2} captain. "We had chances to win it, and we did not take them. That is the difference at this level."
"The players gave everything," the manager told reporters. "You cannot ask for more than that. We were not at our best in the first half, but the reaction after the break was superb. Now we recover and go again on {weekday}."
"Football is for everyone, and at these prices it is not," said {campaigner}, chair of the {team} supporters' trust. "The owners need to remember that without the fans in the stands there is no club."
"""),
    "subheads": _lines("""
How the goals came
Turning point
What they said
The title race
Injury worries
What next for the club
"""),
    "short": _lines("""
The result leaves {team2} in {ordinal} place.
"What a night," {person_last} said.
Kick-off is at 3pm.
There was more drama to come.
The club did not disclose the fee.
{team} now face {team2} in the final.
"""),
    "questions": _lines("""
Who will replace the manager?
How serious is the injury?
Can {team} hold on to top spot?
What does the signing mean for the squad?
When is the final?
"""),
    "list_intros": _lines("""
What we learned:
Talking points:
"""),
    "list_items": _lines("""
{person_last} was outstanding in midfield
The defence looked far more organised than in recent weeks
Set pieces remain a problem for {team2}
The substitutes made a real difference after the hour
The pressing game has returned after a slow start to the season
Fitness could become an issue with {num} games in a month
"""),
    "facts": _lines("""
{num} goals in {num2} games for {person_last}
{big} fans inside {venue}
{pct} of possession for the home side
{num} clean sheets this season
"""),
}

BANK["health"] = {
    "headlines": _lines("""
Waiting lists fall for first time in {num} months
New drug cuts risk of {condition} complications, trial finds
Nurses vote to strike over pay
{hospital} declares critical incident
Cases of measles rise as vaccination rates slip
Daily walk linked to lower risk of {risk_condition}
Regulator approves {drug} for wider use
Mental health services under strain, report warns
Flu season arrives early as hospitals brace for winter
GP shortage leaves patients waiting weeks for appointments
Screening programme to be extended to over-{screen_age}s
Ambulance response times worst on record in {region}
"""),
    "ledes": _lines("""
Hospital waiting lists fell for the first time in {num} months in {month}, according to official figures, although more than {big} patients have been waiting longer than a year for planned treatment.
A new drug, {drug}, reduced the risk of serious complications in people with {condition} by {pct} in a large clinical trial, researchers said, raising hopes of a new treatment option within the next few years.
Nurses at {num} hospital trusts have voted to strike over pay and staffing levels, their union said on {weekday}, in a dispute that could see the first walkouts before the end of {month}.
{hospital} in {city} declared a critical incident on {weekday} after a surge in patients arriving at its emergency department left ambulances queuing outside for hours, and asked the public to use alternative services where possible.
Health officials are urging parents to check that their children are up to date with vaccinations after cases of measles rose to {big} in the past month, the highest total for several years.
People who walk for at least {num} minutes a day have a significantly lower risk of developing {risk_condition}, according to a study that followed more than {big} adults for over a decade.
The medicines regulator has approved {drug} for use in patients with {condition} who have not responded to existing treatments, a decision campaigners said could benefit thousands of people.
Mental health services for young people are struggling to cope with rising demand, a report published on {weekday} has found, with some children waiting more than a year for an initial assessment.
"""),
    "body": _lines("""
The figures show that the number of patients waiting more than {num} weeks for treatment has fallen, but performance varies widely across the country. Hospitals in {region} continue to report the longest delays, particularly for orthopaedic and eye surgery.
In the trial, {big} patients were randomly assigned to receive either the drug or a placebo in addition to their usual care. After two years, those taking the drug were less likely to be admitted to hospital, and side effects were generally mild.
The union says nurses' pay has fallen by {pct} in real terms over the past decade and that staff shortages are putting patients at risk. The government has offered a rise of {pct2}, which it describes as fair and affordable.
Emergency departments across the country have been under intense pressure this winter, with flu, covid and other respiratory infections adding to demand. Many hospitals are also struggling to discharge patients who are medically fit to leave because of a lack of social care.
Measles is one of the most contagious diseases known and can cause serious complications, including pneumonia and swelling of the brain. Two doses of the vaccine provide very high protection, but uptake has fallen below the level needed to prevent outbreaks.
The researchers adjusted their results for factors including age, smoking and diet, but cautioned that the study was observational and could not prove that walking itself reduced the risk. People who walk regularly may differ from others in ways that are hard to measure.
{doctor}, a consultant at {hospital}, said staff were doing everything they could but that the situation was unsustainable. Some patients had spent more than {num} hours on trolleys in corridors waiting for a bed on a ward.
The drug works by blocking a protein involved in inflammation, which is thought to drive much of the damage seen in {condition}. It is given as an injection every {num} weeks and would be used alongside existing treatments.
The report calls for an extra {money_small} a year to be spent on services for children and young people, including more counsellors in schools and faster access to specialist care for those with eating disorders and severe anxiety.
{health_agency} said it would review the evidence and publish guidance on which patients should be offered the drug. The price has not been disclosed, but similar medicines cost several thousand pounds per patient each year.
Doctors' leaders say the shortage of family doctors is at the heart of many of the problems facing the health service. The number of fully qualified GPs has fallen even as the population has grown and aged, leaving each doctor responsible for more patients.
Officials said most of the recent cases were in children under {num} who had not been vaccinated. Catch-up clinics have been set up in schools and community centres, and families can also book an appointment through their local surgery.
Ambulance services say delays in handing over patients at hospitals are the main reason response times have lengthened. Crews in {region} lost more than {big} hours waiting outside emergency departments last month.
Screening aims to catch cancers at an early stage, when treatment is more likely to succeed. Extending the programme to people over {screen_age} could detect around {big} additional cases a year, according to modelling by the health department.
Experts not involved in the trial welcomed the results but said longer follow-up was needed. "The drug looks promising, but we need to understand who benefits most and whether the effect lasts," said {expert}, a professor of medicine in {city}.
Health spending has risen in cash terms in recent years, but much of the increase has been absorbed by inflation and higher pay. Hospital leaders say they need sustained investment in buildings and equipment, not one-off injections of cash each winter.
The government said it had already taken steps to reduce waiting times, including opening {num} new diagnostic centres and using spare capacity in private hospitals. Ministers have set a target of eliminating waits of more than a year by {future_year}.
The study's authors recommend that adults aim for at least 150 minutes of moderate activity a week, in line with existing guidelines. Walking briskly, cycling and swimming all count, and the benefits appear to begin even at low levels.
Patients' groups welcomed the decision but warned that access to specialist clinics remains patchy. In some areas, people with {condition} wait months for a first appointment, by which time the disease may already have progressed.
The strike would affect planned operations and outpatient appointments, but the union said emergency care, intensive care and cancer treatment would continue. Hospitals have been told to draw up contingency plans.
Flu vaccination is offered free to people over {screen_age}, pregnant women, young children and those with certain long-term conditions. Pharmacists say demand has been lower than usual this year, and they are urging eligible people not to wait.
Researchers followed the participants using wearable activity trackers, which recorded their steps every day for a week at the start of the study. Their health was then tracked through hospital records for an average of {num} years.
Community pharmacies have taken on a growing share of routine care, from blood pressure checks to treating minor infections. Pharmacy owners say the extra work is welcome but that funding has not kept pace, and hundreds of branches have closed.
The shortage of beds is not only a winter problem. Occupancy rates in many hospitals have stayed above {pct} all year, well above the level that safety experts recommend, leaving little room to cope with sudden surges.
"""),
    "quotes": _lines("""
"This is a genuine step forward for patients," said {scientist}, who led the trial. "For the first time we have a treatment that tackles the underlying process rather than just the symptoms."
"Nobody goes into nursing to go on strike," said {resident}, a nurse with {num} years of experience in {city}. "But we cannot keep working like this. Something has to give."
"Please, if it is not an emergency, do not come to A&E," {hospital} said in a message posted on social media on {weekday}. "Our staff are working flat out to care for the sickest patients."
"Vaccines are safe and they work," said {official}, a public health director. "If your child has missed a dose, it is never too late to catch up."
"We are seeing children who are more unwell than ever before, and we are seeing them later," said {doctor}, a child psychiatrist. "Early help would prevent so much of this."
"""),
    "subheads": _lines("""
What the trial found
Pressure on the front line
Who is eligible
A winter of strain
What patients can do
The cost question
"""),
    "short": _lines("""
Most people recover within a week.
"We are at full capacity," a spokesperson said.
The study was funded by the drug's manufacturer.
The vaccine is free.
The strike is due to begin on {weekday}.
Further results are expected next year.
"""),
    "questions": _lines("""
Who can get the new drug?
What are the symptoms of measles?
Why are waiting lists so long?
Will the strike affect my appointment?
How much exercise is enough?
"""),
    "list_intros": _lines("""
Common symptoms include:
The report's recommendations include:
"""),
    "list_items": _lines("""
A high fever that lasts more than three days
A rash that starts on the face and spreads
Cough, runny nose and sore, red eyes
More mental health support teams in schools
A maximum wait of {num} weeks for a first assessment
Extra funding for community eating disorder services
Better data on how long children wait for care
"""),
    "facts": _lines("""
{big} patients waiting more than a year
{num} measles cases in the past week
{pct} lower risk in the trial
{num2} hours average wait in emergency departments
"""),
}

BANK["science"] = {
    "headlines": _lines("""
Telescope spots water vapour on distant planet
Ancient skeleton sheds light on early farmers
Bee numbers recovering in wildflower meadows, study finds
{mission} probe enters orbit around Jupiter's moon
Scientists create material that heals itself
Coral reefs face worst bleaching on record
New species of {species_group} discovered in {country}
Fusion experiment sets energy record
Sea ice hits new low for time of year
Brain scans reveal how memories are sorted during sleep
Rocket launch delayed after fault found
Study links microplastics to poorer soil
"""),
    "ledes": _lines("""
Astronomers using {instrument} have detected water vapour in the atmosphere of a planet orbiting a star about {num} light years from Earth, a finding described as an important step in the search for worlds that could support life.
The skeleton of a woman who lived around {big} years ago has given researchers new insight into how farming spread across Europe, according to a study published in {journal} on {weekday}.
Scientists at {institute} have developed a plastic-like material that can repair itself when cut or scratched, potentially extending the life of products from phone cases to car parts.
The {mission} spacecraft has entered orbit around Jupiter's moon Europa after a journey of more than {num} years, mission controllers confirmed on {weekday}, marking the start of its main science phase.
Coral reefs around the world are experiencing the most widespread bleaching event ever recorded, with {pct} of reef areas affected by heat stress over the past year, scientists have warned.
Researchers have identified a new species of {species_group} in the cloud forests of {country}, bringing to {num} the number of new species described by the same team in the past decade.
An experimental fusion reactor has produced a record amount of energy in a single pulse, researchers at {institute} announced, a milestone in the decades-long effort to harness the process that powers the Sun.
Arctic sea ice has shrunk to its lowest extent for the time of year since satellite records began, according to data published on {weekday}, with scientists linking the decline to unusually warm ocean temperatures.
"""),
    "body": _lines("""
The team analysed light passing through the planet's atmosphere as it crossed in front of its star. Different molecules absorb light at particular wavelengths, leaving a chemical fingerprint that can be read by sensitive instruments.
DNA extracted from a tooth showed that the woman's ancestors had migrated from the Near East, while chemical analysis of her bones suggested she had eaten a diet rich in cereals and dairy. She was buried with pottery and stone tools.
The material contains tiny capsules filled with a liquid that hardens when exposed to air. When the surface is damaged, the capsules break and release the liquid into the crack, sealing it within {num} hours at room temperature.
The spacecraft carries {num} instruments, including cameras, radar capable of seeing beneath the ice and a device to analyse dust particles. Scientists believe Europa has a salty ocean beneath its frozen crust that could contain the ingredients for life.
Bleaching occurs when corals under heat stress expel the algae living in their tissues, turning white. Corals can recover if temperatures fall, but repeated events leave them weakened and more vulnerable to disease.
The new species was identified partly through careful measurements and partly through genetic tests, which showed it had been separated from its nearest relatives for millions of years. Its tiny range makes it especially vulnerable to forest clearance.
Fusion involves forcing light atoms together at extremely high temperatures, releasing large amounts of energy. Unlike nuclear fission, it produces no long-lived radioactive waste, but no experiment has yet produced more energy than the whole facility consumes.
Sea ice reflects sunlight back into space, so losing it allows the ocean to absorb more heat, which in turn melts more ice. Scientists say this feedback helps explain why the Arctic is warming several times faster than the global average.
{expert}, a planetary scientist at {institute} who was not involved in the study, said the result was exciting but should be treated with caution. "We are at the limits of what current instruments can measure," {expert_last} said.
The findings add to evidence that the spread of farming involved large movements of people rather than simply the transfer of ideas between neighbouring groups. Earlier studies had reached similar conclusions for other parts of the continent.
The researchers tested the material by repeatedly bending and cutting samples in the laboratory. After healing, it recovered about {pct} of its original strength, and the process could be repeated several times in the same spot.
Launch of the mission was delayed twice because of technical problems, and its total cost is estimated at more than {money}. Engineers had to design shielding to protect its electronics from the intense radiation around Jupiter, which would destroy ordinary equipment within days.
Scientists say the only long-term solution for reefs is to reduce greenhouse gas emissions, but they are also experimenting with breeding more heat-tolerant corals and shading reefs during marine heatwaves.
Many of the species found by the team are known only from a single valley or mountain slope. Conservationists say that makes them particularly vulnerable to deforestation, which has accelerated in the region as farmland expands.
The reactor sustained the reaction for about {num} seconds, producing enough energy to boil roughly {num2} kettles. That may sound modest, but physicists say the significance lies in showing that the plasma can be controlled for longer periods.
The study, which involved {num} volunteers who slept in a laboratory while their brain activity was recorded, found that memories were replayed in a particular order during deep sleep, strengthening some and allowing others to fade.
Microplastics have been found in almost every environment scientists have examined, from mountain tops to the deep ocean. The new research suggests they may change the structure of soil, making it harder for plant roots to grow and for water to drain.
The results were published in {journal} and will be presented at a conference in {city} later this month. The team has made its data freely available so that other groups can check the analysis.
Wildflower meadows have declined dramatically over the past century, but restoration projects have increased in recent years. The researchers found that sites restored for more than {num} years had almost twice as many bee species as nearby farmland.
Funding for the next stage of the project has not yet been secured. The researchers have applied for grants from national science agencies and are in talks with industrial partners interested in commercial applications.
Computer models suggest that the ice-free summers once expected late this century could arrive decades earlier. That would have consequences far beyond the Arctic, affecting weather patterns, shipping routes and the wildlife that depends on the ice.
The launch was called off less than two minutes before lift-off after sensors detected an unexpected pressure reading in one of the rocket's engines. Engineers will inspect the vehicle before a new date is set, probably in {month}.
Artificial intelligence played a growing role in the analysis. The team trained a model to pick out faint signals in the data that human researchers might have missed, then checked each candidate by hand before including it in the results.
Trials in patients are still years away, the researchers stressed, and findings in animals often fail to translate to humans. But they said the mechanism they had identified could eventually help in the design of new treatments.
"""),
    "quotes": _lines("""
"This is the clearest signal we have ever seen from a planet of this size," said {scientist}, who led the research at {institute}. "It does not mean there is life there, but it tells us where to look next."
"Every skeleton tells a story," said {expert}, an archaeologist and co-author of the study. "This woman lived through one of the biggest changes in human history, and her bones record how her life was different from her grandparents'."
"We were amazed when the first sample healed," said {scientist}, a materials scientist on the team. "We cut it in half, left it on the bench overnight, and in the morning it was whole again."
"Reefs are the canary in the coal mine for the oceans," said {expert}, a marine biologist in {city}. "What we are seeing now should worry everyone, not just people who love to dive."
"We are learning something new about the mission every day," said its lead scientist, {scientist}. "The instruments are working beautifully, and the first images are better than we dared hope."
"""),
    "subheads": _lines("""
How the discovery was made
Reading the chemistry
A fragile world
Why it matters
Next steps
The limits of the data
"""),
    "short": _lines("""
The work took {num} years.
"It was a surprise," {scientist_last} admitted.
The paper has been peer reviewed.
More observations are planned.
The answer may lie beneath the ice.
Launch is now scheduled for {month}.
"""),
    "questions": _lines("""
How did scientists detect the water?
What is coral bleaching?
Could the material be used in everyday products?
What happens next for the mission?
Why does sea ice matter?
"""),
    "list_intros": _lines("""
The mission's main goals are:
The study found that:
"""),
    "list_items": _lines("""
Measuring the thickness of Europa's ice shell
Searching for plumes of water erupting from the surface
Mapping the moon's magnetic field
Restored meadows supported almost twice as many bee species
Soil with high levels of microplastics held less water
Memories replayed during deep sleep were more likely to be recalled
The new material healed at room temperature without added heat
"""),
    "facts": _lines("""
{num} light years from Earth
{big} years old
{pct} of reef areas affected
{num2} instruments on board
"""),
}

BANK["entertainment"] = {
    "headlines": _lines("""
{film} tops box office in opening weekend
{person} cast as lead in {show} remake
{band} announce reunion tour
Festival in {city} unveils this year's line-up
{film} wins top prize at {festival}
Streaming service cancels {show} after {num} seasons
{person}'s new album {album} debuts at number one
Theatre in {city} saved from closure
Award nominations: {film} leads the field
{person} to host awards ceremony
Musical adaptation of {film} heads to the stage
{author} wins prize for debut novel
"""),
    "ledes": _lines("""
{film} took an estimated {money_small} worldwide in its opening weekend, the biggest debut of the year for an original story and a welcome boost for cinemas that have struggled to win back audiences.
{person} has been cast in the lead role of a new adaptation of {show}, producers announced on {weekday}, ending months of speculation about who would take on one of television's most recognisable characters.
{band} are to reunite for a tour of {num} cities next year, more than a decade after the group went their separate ways amid reported disagreements over the direction of their music.
{film}, a quiet drama about a family running a seaside hotel, won the top prize at {festival} on {weekday}, beating several higher-profile titles to claim the award.
The streaming service behind {show} has cancelled the series after {num} seasons, disappointing fans who had launched an online campaign to keep the drama on air and leaving its central mystery unresolved.
{person}'s album {album} has gone straight to number one, selling more than {big} copies in its first week and becoming the fastest-selling record of the year so far.
A much-loved theatre in {city} has been saved from closure after a fundraising campaign backed by actors and local residents raised {money_modest} in less than three months.
{film} leads this year's award nominations with {num} nods, including best picture, best director and acting nominations for {person} and {person2}, while several of the year's biggest commercial hits were largely overlooked.
"""),
    "body": _lines("""
{film} was made on a relatively modest budget and relied heavily on word of mouth after strong reviews at festivals earlier in the year. Industry analysts had predicted a much quieter opening.
The series, which follows a detective returning to the small town where she grew up, has been praised for its atmosphere and writing. Filming is expected to begin in {city} in the spring, with the first episodes due to air next year.
The band's first three albums sold millions of copies, and their songs remain staples of radio playlists. Fans hoping to buy tickets will need to register in advance, with a presale opening on {weekday} ahead of general sale.
The jury, led by the director {person3}, praised the film's performances and its restraint. It is the first feature by its writer and director, who previously worked on short films and music videos.
The show was one of the service's most-watched dramas when it launched, but viewing figures fell in later seasons. Streaming platforms have become increasingly quick to cancel series that do not attract new subscribers, even those with devoted audiences.
Critics have been largely positive about the album, which marks a shift towards a more stripped-back sound. Several tracks were recorded live in a single take in a studio in {city}, with only a handful of musicians.
The theatre, which opened in {old_year}, has hosted everything from pantomimes to touring opera. It closed temporarily last year after engineers found problems with the roof, and the owners said repairs were beyond their means.
Nominations were announced in {city} on {weekday}, and the winners will be revealed at a ceremony in {month}. Voting members include actors, directors, writers and technicians from across the industry.
{person}, whose previous roles include a police officer in a long-running crime drama and a queen in a historical epic, said the part was a dream come true. Rehearsals begin next month.
Cinema attendance has recovered more slowly than many in the industry hoped, with audiences still below pre-pandemic levels. Operators have invested in comfortable seating and premium screens in an effort to make a trip to the cinema feel like an event.
The tour will include {num} nights at an arena in {city}, and the band said they were working on new material, although they stopped short of confirming a new album. Support acts will be announced later.
Festival organisers said more than {big} people attended screenings over the ten days, a record for the event. The programme included {num} world premieres and a strand devoted to films made by young directors from the region.
The cancellation has reignited debate about how streaming services measure success. Unlike broadcasters, the platforms rarely publish detailed viewing figures, making it hard for viewers to understand why a popular show has been dropped.
Tickets for the concerts sold out within minutes, and some were soon being offered on resale websites at several times their face value. The promoter said it would cancel tickets bought by automated software and reissue them to fans.
{author}, who wrote the novel on which the film is based, said the adaptation had been a nervous experience but the result was a delight. The book has returned to the bestseller lists since the film's release.
The judges described the winning novel as "an extraordinary debut", praising its portrait of three generations of a family in {city}. Previous winners have seen demand for their books rise several times over in the weeks after the announcement.
The musical adaptation will open at a theatre in {city} in {month}, with songs written by {composer}. Producers hope to transfer the show to a larger venue if the initial run is successful.
The ceremony will be broadcast live, and organisers have promised a shorter running time after complaints that last year's event dragged on for more than four hours. Several categories will be presented before the main broadcast.
The theatre's new owners, a charitable trust, plan to restore the auditorium and add a studio space for community productions and workshops for young people. Work is due to be completed in time for the {future_year} season.
Reviews for the film have been mixed. Some critics praised its visual ambition and a standout performance from {person}, while others found the story thin and the running time of nearly three hours hard to justify.
The film was produced by {studio}, which has built a reputation for character-driven stories made on tight budgets. The studio's last release was a surprise hit on streaming, where it reached the top ten in {num} countries.
Vinyl sales have risen for the {ordinal} year in a row, driven by younger listeners who value owning a physical copy of their favourite records. Independent record shops report queues outside on release days for the biggest albums.
The festival line-up features more than {big} performers across {num} stages, with a greater share of women headliners than in previous years. Organisers said they had also cut the price of day tickets for local residents.
Rights to the original novel were bought by {studio} before it was published, after a bidding war between several production companies. The author was closely involved in writing the screenplay.
"""),
    "quotes": _lines("""
"I still cannot quite believe it," {person} said on stage, clutching the award. "We made this film with a tiny crew and a lot of love. Thank you for seeing it."
"We have missed playing together more than we ever admitted," the band said in a statement. "These songs belong to the fans as much as to us, and we cannot wait to see you."
"The theatre is part of the fabric of this town," said {campaigner}, who led the campaign. "Generations of families have sat in those seats. We could not let it go."
"Television is a business, and I understand that," said {creator}, the show's creator. "But I do wish we had been given the chance to finish the story properly."
"Making this record felt like starting again," {person} said in an interview. "I wanted it to sound like a room full of people playing, not a machine."
"""),
    "subheads": _lines("""
Behind the scenes
The critics' verdict
A long road to the stage
What fans can expect
Box office battle
The night's big winners
"""),
    "short": _lines("""
Tickets go on sale on {weekday}.
"It was magical," one fan said.
The release date has not been confirmed.
The show must go on.
Filming wraps in {month}.
The ceremony takes place in {city}.
"""),
    "questions": _lines("""
When do tickets go on sale?
Who else is in the cast?
Why was the show cancelled?
Where can I watch the film?
What is the album like?
"""),
    "list_intros": _lines("""
The main nominations are:
Highlights of the programme include:
"""),
    "list_items": _lines("""
Best picture: {film}
Best director: {person3}
Best actor: {person2}
Best documentary: {film2}
An opening-night gala in {city}
A late-night strand of horror films
Free outdoor screenings in the main square
"""),
    "facts": _lines("""
{money_small} opening weekend
{big} copies sold in the first week
{num} award nominations
{num2} nights at the arena
"""),
}

# Extra short lines / subheadings usable in any topic (short editorial hard cases).
GENERIC_SUBHEADS = _lines("""
Background
Analysis
Reaction
What happens next
What we know so far
The bigger picture
Why it matters
A closer look
How we got here
In numbers
""")

FACT_HEADERS = _lines("""
By the numbers
In numbers
Key figures
The numbers
At a glance
""")

GENERIC_QUESTIONS = _lines("""
What happened?
Why does it matter?
What happens next?
Who is affected?
What are people saying?
""")

# Topics whose vocabulary overlaps (a paragraph from the neighbour may be mixed in).
NEIGHBOURS = {
    "politics": ["world"],
    "world": ["politics"],
    "business": ["technology"],
    "technology": ["business"],
    "sport": [],
    "health": ["science"],
    "science": ["health"],
    "entertainment": [],
}

# Which list items belong to which list intro (indices into list_items, per list_intros entry).
LIST_GROUPS: dict[str, list[list[int]]] = {
    "politics": [[0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 5, 6]],
    "world": [[2, 3, 6], [0, 1, 4, 5]],
    "business": [[0, 3, 4, 2], [1, 2, 5, 6]],
    "technology": [[0, 1, 2], [3, 4, 5, 6]],
    "sport": [[0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]],
    "health": [[0, 1, 2], [3, 4, 5, 6]],
    "science": [[0, 1, 2], [3, 4, 5, 6]],
    "entertainment": [[0, 1, 2, 3], [4, 5, 6]],
}

# --------------------------------------------------------------------------------------------
# Boilerplate bank (page furniture, credits, prompts, advertising)
# --------------------------------------------------------------------------------------------

OUTLETS = _lines("""
The Daily Ledger
Northgate Courier
Metro Chronicle
The Harbour Times
Westmere Gazette
Capital Dispatch
The Evening Post Online
Riverbend Herald
The Morning Signal
Coastal Observer
Lakeside Tribune
The National Wire
Granite City Journal
Pinecrest Daily
The Civic Record
Eastfield Mercury
Summit News Network
Valley Voice
The Urban Bulletin
Brookside Press
""")

PHOTO_AGENCIES = _lines("""
Getty Images
AFP
Reuters
AP
EPA
PA Wire
Alamy
Shutterstock
Bloomberg
AFP via Getty Images
SOPA Images/LightRocket via Getty Images
NurPhoto via Getty Images
Anadolu via Getty Images
Zuma Press
Xinhua
Sipa
Newscast
Handout
""")

WIRE_AGENCIES = _lines("""
Reuters
The Associated Press
AFP
Bloomberg
PA Media
dpa
""")

# Topic -> (section names, sub-section names)
SECTIONS = {
    "politics": (["Politics", "News", "UK Politics", "National"], ["Parliament", "Elections", "Policy", "Government"]),
    "world": (["World", "News", "International", "Global"], ["Europe", "Africa", "Asia", "Americas", "Middle East"]),
    "business": (["Business", "Money", "Economy", "Markets"], ["Companies", "Markets", "Economy", "Personal Finance"]),
    "technology": (["Tech", "Technology", "Science & Tech", "Innovation"], ["AI", "Gadgets", "Cybersecurity", "Internet"]),
    "sport": (["Sport", "Sports", "Football"], ["Football", "Tennis", "Athletics", "Cricket", "Rugby"]),
    "health": (["Health", "Wellbeing", "News"], ["NHS", "Medicine", "Mental health", "Fitness"]),
    "science": (["Science", "Science & Environment", "Environment"], ["Space", "Climate", "Nature", "Research"]),
    "entertainment": (["Entertainment", "Culture", "Arts", "Showbiz"], ["Film", "Music", "TV", "Books", "Theatre"]),
}

TAGS = {
    "politics": ["Politics", "Elections", "Parliament", "Government", "Budget", "Opposition"],
    "world": ["World news", "Diplomacy", "Climate crisis", "Migration", "Elections", "Aid"],
    "business": ["Business", "Economy", "Markets", "Inflation", "Retail", "Jobs"],
    "technology": ["Technology", "Artificial intelligence", "Cybersecurity", "Smartphones", "Privacy", "Start-ups"],
    "sport": ["Sport", "Football", "Transfers", "Tennis", "Athletics", "Cricket"],
    "health": ["Health", "NHS", "Vaccines", "Mental health", "Medicine", "Hospitals"],
    "science": ["Science", "Space", "Climate", "Wildlife", "Research", "Archaeology"],
    "entertainment": ["Entertainment", "Film", "Music", "Television", "Theatre", "Awards"],
}

BEATS = _lines("""
political correspondent
parliamentary reporter
world affairs editor
foreign correspondent
business reporter
economics editor
technology reporter
tech correspondent
sports writer
chief football writer
health editor
health correspondent
science correspondent
environment reporter
arts and culture writer
entertainment reporter
senior reporter
staff writer
news editor
digital reporter
""")

# Photo captions: short scene descriptions (boilerplate that reads like a sentence).
CAPTION_SCENES = {
    "politics": _lines("""
Lawmakers arrive for the budget debate
Supporters wave flags at a campaign rally
Ballot papers are counted at a sports hall
Protesters gather outside the parliament building
The opposition leader speaks to reporters
Campaign posters line a street
"""),
    "world": _lines("""
Residents wade through floodwater
Aid workers unload sacks of grain from a truck
Lorries queue at the border crossing
Voters line up outside a polling station
Demonstrators march through the city centre
Foreign ministers pose for a group photograph
"""),
    "business": _lines("""
Shoppers walk past a closed-down store
Containers are stacked at the port
Traders work on the floor of the stock exchange
A sign hangs outside the company's headquarters
Workers on the production line at a factory
A customer pays at a supermarket checkout
"""),
    "technology": _lines("""
A visitor tries out the new phone at the launch event
An engineer inspects a server rack in a data centre
Robots move shelves in an automated warehouse
The company logo is displayed on a screen
A user scrolls through the app on a smartphone
Circuit boards on an assembly line
"""),
    "sport": _lines("""
Players celebrate after the final whistle
Fans hold up scarves before kick-off
The striker scores the opening goal
The champion lifts the trophy
Runners round the final bend
Supporters protest outside the ground
"""),
    "health": _lines("""
A nurse prepares a vaccine at a community clinic
Ambulances wait outside the emergency department
Striking nurses on a picket line
A patient is wheeled along a hospital corridor
A doctor examines an X-ray
People walk in a city park
"""),
    "science": _lines("""
An artist's impression of the distant planet
Researchers examine the skeleton at the dig site
Bleached coral on a reef
The rocket on the launch pad
A scientist holds a sample of the new material
Sea ice in the Arctic Ocean
"""),
    "entertainment": _lines("""
The cast arrive on the red carpet
The band perform on stage
Fans queue outside the cinema
The director accepts the award
A scene from the film
The theatre's facade
"""),
}

NEWSLETTER_NAMES = _lines("""
Morning Briefing
The Daily Digest
Evening Edition
First Thing
Weekend Reads
The Download
Business Brief
Sports Roundup
Health Check
Culture Club
The Headlines
Politics Weekly
World Briefing
Breaking News Alerts
""")

VENDOR_PREFIXES = _lines("""
Brightline
Summit
Evergreen
Keystone
BluePeak
Northstar
Oakridge
Silverleaf
Trident
Apex
Harbourside
Greenway
Redwood
Clearview
Pioneer
Riverside
Crown
Lighthouse
Meadowbrook
Ironbridge
Sterling
Cornerstone
Horizon
Maple
Westfield
Granite
Swift
Premier
Bluebell
Falcon
""")

# category -> name suffixes, what the customer is looking for, services offered
VENDOR_CATEGORIES = {
    "roofing": {
        "suffixes": ["Home Services", "Roofing & Gutters", "Property Care", "Roofing Ltd"],
        "noun": "roofers",
        "services": _lines("""
Roof repair and gutter cleaning
Emergency leak detection
Loft insulation and ventilation
Chimney inspection and repointing
Fascia and soffit replacement
Flat roof installation
Skylight fitting
Storm damage assessments
Free no-obligation quotes
"""),
    },
    "plumbing": {
        "suffixes": ["Plumbing & Heating", "Plumbers", "Heating Services"],
        "noun": "plumbers",
        "services": _lines("""
Boiler servicing and repair
24/7 emergency call-outs
Bathroom installations
Drain unblocking
Radiator replacement
Water heater installation
Gas safety certificates
Underfloor heating
"""),
    },
    "legal": {
        "suffixes": ["Law Group", "Solicitors", "Legal Partners", "Injury Lawyers"],
        "noun": "personal injury lawyers",
        "services": _lines("""
Personal injury claims
Road traffic accident compensation
Workplace injury claims
No win, no fee representation
Medical negligence
Wills and probate
Free initial consultation
Slip and trip claims
"""),
    },
    "dental": {
        "suffixes": ["Dental Studio", "Smile Clinic", "Dental Care"],
        "noun": "dentists",
        "services": _lines("""
Teeth whitening
Invisible braces
Dental implants
Emergency appointments
Hygienist visits
Family dentistry
Cosmetic bonding
0% finance available
"""),
    },
    "removals": {
        "suffixes": ["Removals", "Movers", "Moving & Storage"],
        "noun": "movers",
        "services": _lines("""
Local and long-distance moves
Packing and unpacking
Secure storage units
Piano and antique moving
Office relocations
Same-day man and van
Fully insured crews
"""),
    },
    "marketing": {
        "suffixes": ["Digital", "Marketing Agency", "Media Solutions"],
        "noun": "digital marketing experts",
        "services": _lines("""
Search engine optimisation (SEO)
Pay-per-click advertising
Social media management
Website design and hosting
Content writing and link building
Local listings management
Monthly performance reports
Email marketing campaigns
"""),
    },
    "cleaning": {
        "suffixes": ["Cleaning Co.", "Cleaners", "Cleaning Services"],
        "noun": "cleaners",
        "services": _lines("""
End of tenancy cleaning
Carpet and upholstery cleaning
Office cleaning contracts
Oven deep cleans
Window cleaning
After-builders cleans
Eco-friendly products as standard
"""),
    },
    "pest": {
        "suffixes": ["Pest Control", "Pest Solutions"],
        "noun": "pest control specialists",
        "services": _lines("""
Rodent removal
Wasp and hornet nest treatment
Bed bug eradication
Bird proofing
Commercial pest contracts
Same-day appointments
"""),
    },
    "solar": {
        "suffixes": ["Solar", "Energy Solutions", "Renewables"],
        "noun": "solar installers",
        "services": _lines("""
Solar panel installation
Battery storage systems
EV charger installation
Heat pump fitting
Free energy surveys
Grant and financing advice
Panel cleaning and maintenance
"""),
    },
    "auto": {
        "suffixes": ["Auto Centre", "Motors", "Garage Services"],
        "noun": "mechanics",
        "services": _lines("""
Annual vehicle inspections
Brake and clutch repairs
Tyre fitting and balancing
Air conditioning regas
Diagnostics for all makes
Courtesy cars available
Hybrid and electric servicing
"""),
    },
    "landscaping": {
        "suffixes": ["Landscaping", "Garden Design", "Grounds Maintenance"],
        "noun": "landscapers",
        "services": _lines("""
Lawn care and turfing
Patio and decking installation
Hedge trimming
Tree surgery
Fencing and gates
Garden clearance
Artificial grass
"""),
    },
    "it": {
        "suffixes": ["IT Solutions", "Tech Support", "Computer Services"],
        "noun": "IT support",
        "services": _lines("""
Managed IT support
Cloud backup and recovery
Cyber security audits
Laptop and phone repair
Network installation
Email and office software setup
Data recovery
"""),
    },
    "accounting": {
        "suffixes": ["Accountants", "Tax Advisers", "Accounting"],
        "noun": "accountants",
        "services": _lines("""
Self-assessment tax returns
Bookkeeping and payroll
VAT returns
Company formation
Year-end accounts
Free first meeting
"""),
    },
    "locksmith": {
        "suffixes": ["Locksmiths", "Lock & Key", "Security"],
        "noun": "locksmiths",
        "services": _lines("""
Emergency lockouts
Lock changes and upgrades
uPVC door repairs
Safe opening
Key cutting
30-minute response time
"""),
    },
    "tutoring": {
        "suffixes": ["Tutors", "Learning Centre", "Tuition"],
        "noun": "tutors",
        "services": _lines("""
Maths and English tuition
Exam preparation
Online lessons
Small group classes
Entrance exam coaching
Science and languages
"""),
    },
    "photography": {
        "suffixes": ["Photography", "Studios", "Photo & Film"],
        "noun": "photographers",
        "services": _lines("""
Wedding photography packages
Family portraits
Corporate headshots
Drone photography
Event coverage
Same-week photo delivery
"""),
    },
}

STREET_NAMES = _lines("""
High Street
Station Road
Church Lane
Mill Road
Victoria Street
Park Avenue
Queen Street
Market Square
Bridge Street
Orchard Way
Commerce Drive
Industrial Estate
""")

# Long boilerplate: cookie / consent notices.
COOKIE_NOTICES = _lines("""
We use cookies and similar technologies to improve your experience, personalise content and ads, provide social media features and analyse our traffic. By clicking "Accept all" you consent to our use of cookies. You can change your preferences at any time by visiting Privacy Settings.
{outlet} and our {num} partners store and/or access information on a device, such as unique IDs in cookies, to process personal data. You may accept or manage your choices by clicking below, including your right to object where legitimate interest is used.
This website uses cookies. Some are essential for the site to work, while others help us understand how you use it so we can improve it. Read our cookie policy for more details.
We and our partners use cookies to store and access personal data such as browsing data for purposes such as serving and personalising content and advertising and analysing site traffic. You can find out more in our privacy policy.
Your privacy matters to us. We use essential cookies to make our site work and optional analytics and advertising cookies to understand how you use it and to show you relevant ads. You can accept all cookies, reject optional ones, or choose which categories to allow.
By continuing to browse this site you agree to our use of cookies as described in our Cookie Policy. Cookies help us deliver our services, measure audience numbers and fund our journalism through advertising.
""")

COOKIE_BUTTONS = _lines("""
Accept all
Reject all
Manage preferences
Accept | Reject | Settings
I agree
Got it!
Accept cookies
Cookie settings
Allow all
Necessary only
""")

# Long boilerplate: legal / copyright notices.
LEGAL_NOTICES = _lines("""
Copyright {year} {outlet}. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without prior written permission.
{outlet} is not responsible for the content of external sites. Read about our approach to external linking.
{outlet} Media Group Ltd. Registered in England and Wales, company number {companyno}. Registered office: {address}.
All content on this site is protected by copyright. Reproduction in whole or in part in any form or medium without express written permission of {outlet} is prohibited.
This article is for general information only and does not constitute legal, financial or medical advice. Always seek the guidance of a qualified professional with any questions you may have.
{outlet} may earn a commission on purchases made through links on this page. This does not affect our editorial independence.
Use of this site constitutes acceptance of our User Agreement and Privacy Policy and Cookie Statement and Your Privacy Choices and Rights. {outlet} may earn a portion of sales from products that are purchased through our site.
""")

# Long boilerplate: subscription / app / donation promotions.
PROMO_PARAGRAPHS = _lines("""
Get unlimited access to {outlet} journalism for just {price} a month for your first {num} months. Cancel anytime.
Download the {outlet} app for breaking news alerts, live updates and the day's top stories, free on iOS and Android.
Support independent journalism. Readers like you help fund our reporting on the stories that matter, and every contribution, however big or small, makes a difference. Support us from just {price}.
You have read {num} of your {num2} free articles this month. Subscribe now for unlimited access to award-winning journalism, puzzles, newsletters and more.
Want more stories like this? Follow {outlet} on Google News and add us as a preferred source so our reporting shows up first in your feed.
Already a subscriber? Log in to continue reading. Not yet a member? Join today and get your first month free, then {price} a month.
Our journalism is free to read because our advertisers and subscribers pay for it. If you value what we do, please consider becoming a member today.
""")

TEASER_PREFIXES = _lines("""
Read more:
READ MORE:
Related:
Also read |
Watch:
Don't miss:
More:
See also:
LISTEN:
Trending:
Opinion:
Explained:
Live:
In pictures:
""")

AD_MARKERS = _lines("""
Advertisement
ADVERTISEMENT
Advertisement · Scroll to continue
Story continues below advertisement
Article continues below this ad
Sponsored
AD
Continue reading the main story
Skip advertisement
Promoted Stories
Content continues below
Paid content
""")

SHARE_ITEMS = _lines("""
Share
Share this article
Share on Facebook
Share on X
Tweet
Email
Copy link
Link copied!
Share via
Save
Print
WhatsApp
LinkedIn
Pinterest
Gift this article
""")

FOOTER_ITEMS = _lines("""
About us
Contact
Careers
Advertise
Privacy Policy
Terms of Use
Cookie Settings
Accessibility
Help
Sitemap
Corrections
Newsletters
Subscribe
RSS
Contact the newsroom
Do not sell my personal information
""")

COMMENT_PROMPTS = _lines("""
Comments
Join the conversation
Leave a comment
Add your comment
Be the first to comment
Comments are closed for this article.
You must be signed in to comment.
What do you think? Let us know in the comments below.
Our community guidelines apply to all comments. Please keep it civil and on topic.
Want to join the discussion? Register or log in to post comments.
Have your say
Comment guidelines
Sort by: Newest | Oldest | Most liked
""")

RELATED_HEADERS = _lines("""
Related stories
More on this story
You may also like
Most read
Most popular
Top stories
More from {outlet}
Related articles
Recommended for you
Around the web
Latest news
Editor's picks
""")

BLOG_SIDEBAR = _lines("""
Recent Posts
Categories
Archives
Popular Posts
Search this site
Subscribe to our blog
Meta
Log in
Entries feed
""")

# Long boilerplate: vendor promotional paragraphs for appended advertising blocks.
VENDOR_PROMOS = _lines("""
Looking for trusted {noun} in {city}? {vendor} has been helping homeowners and businesses across {region} since {year}, with fully insured professionals, transparent pricing and a satisfaction guarantee on every job. Call today for a free, no-obligation quote.
At {vendor}, we believe great service should never be complicated. Our friendly team of {num} specialists covers {city} and the surrounding area seven days a week, and we are proud to be rated {rating} out of 5 by more than {big} verified customers.
{vendor} is a family-run business with over {num} years of experience. Whether you need a quick job or a complete project, our experts will get it done right the first time, on time and on budget.
Don't settle for less. Choose the {noun} that {city} has trusted for over {num} years. Book online in under two minutes and get 10% off your first appointment with code {code}.
Need help fast? Our {noun} are available around the clock, including weekends and bank holidays. We pride ourselves on honest advice, fair prices and workmanship that lasts.
{vendor} offers professional, affordable and reliable services for residential and commercial clients in {city}, {city2} and beyond. Contact our team today to find out how we can help you.
Why pay more? {vendor} guarantees to beat any like-for-like written quote. Established in {year}, we are fully accredited and every job is backed by our {num}-year guarantee.
""")

VENDOR_HEADERS = _lines("""
Our services:
OUR SERVICES
What we offer:
Services include:
We specialise in:
Our Services Include
Services
What we do
How we can help:
Our expertise:
""")

VENDOR_SELLING_POINTS = _lines("""
Fully licensed and insured
Over {num} years of experience
Rated {rating}/5 by {big} customers
Family-run since {year}
Fixed prices, no hidden fees
Serving {city} and surrounding areas
Free estimates, no call-out charge
Accredited, vetted and background-checked staff
Same-day service available
Satisfaction guaranteed
""")

VENDOR_AUTHOR_FORMS = _lines("""
Author: {vendor}
Posted by {vendor}
Written by: {vendor} Team
About the author: {vendor}
By {vendor} | Sponsored
Author - {vendor}
Content provided by {vendor}
Published by {vendor}
""")

SPONSOR_MARKERS = _lines("""
Sponsored content
ADVERTISEMENT
Paid post
Partner content
PROMOTED
This content is provided by {vendor}.
Sponsored by {vendor}
Advertorial
Brought to you by {vendor}
""")

AUTHOR_BIO_FORMS = _lines("""
{name} is a {beat} at {outlet}, covering {beat_desc}. Before joining {outlet} in {year}, {last} worked for {outlet2} and has reported from more than {num} countries.
{name} is {outlet}'s {beat}. {last} writes about {beat_desc} and can be reached at {email}.
About the author: {name} has been a {beat} for {num} years, specialising in {beat_desc}. {last} previously worked at {outlet2}.
{name} joined {outlet} as a {beat} in {year}. Follow {last} on X at @{handle}.
{name} covers {beat_desc} for {outlet}. Send tips to {email}.
""")

# --------------------------------------------------------------------------------------------
# Story lines: which headline, opening and follow-up paragraphs belong together.
# (opening, headline indices, preferred body indices, preferred quote indices); the opening is
# "L<i>" for ledes[i] or "B<i>" for body[i].  Articles start on one story line and then continue
# with other paragraphs of the topic, so neighbouring articles overlap only partly.
# --------------------------------------------------------------------------------------------

STORIES: dict[str, list[tuple[str, list[int], list[int], list[int]]]] = {
    "politics": [
        ("L0", [5], [0, 4, 11, 19, 22, 1], [0, 1]),
        ("L1", [4, 12], [7, 8, 15], [3]),
        ("L2", [2, 7], [9, 18, 6], [2]),
        ("L3", [3], [12, 23, 5, 10], [2]),
        ("L4", [6], [13, 20, 2], [3]),
        ("L5", [1], [3, 21, 10], [4, 2]),
        ("L6", [0, 13, 8], [6, 14, 17, 1], [0]),
        ("L7", [9], [2, 16, 8], [3]),
        ("B15", [10], [9], []),
        ("B21", [11], [5, 10], [2]),
    ],
    "world": [
        ("L0", [3, 11], [7, 19, 18, 10], [0]),
        ("L1", [0], [1, 13, 18, 23], [3]),
        ("L2", [1], [2, 14, 6, 0], [1]),
        ("L3", [2, 10], [3, 8, 16, 20, 10], [2]),
        ("L4", [4, 9], [4, 22, 9, 1], [0, 3]),
        ("L5", [5, 8], [5, 15, 21, 17], [4]),
        ("L6", [6], [11, 10], [4]),
        ("L7", [7, 8], [12, 19, 0, 17], [0]),
        ("B9", [9], [4, 22], [3]),
    ],
    "business": [
        ("L0", [0, 9], [0, 4, 8, 16], [0]),
        ("L1", [1], [1, 12, 21, 5], [0, 4]),
        ("L2", [5], [2, 9, 16, 14], [2]),
        ("L3", [4], [3, 10, 23], [1]),
        ("L4", [3], [9, 14, 2, 22], [2, 3]),
        ("L5", [2], [17, 5, 4, 8], [4]),
        ("L6", [7], [15, 19, 5], [4]),
        ("L7", [6], [7, 14, 6], [3]),
        ("B13", [11], [9, 1], []),
        ("B18", [10], [11, 20, 16], []),
        ("B6", [8], [11, 7], [3]),
    ],
    "technology": [
        ("L0", [0], [0, 14, 8, 20, 16], [0]),
        ("L1", [1], [1, 9], [1]),
        ("L2", [7], [2, 11], [2]),
        ("L3", [6], [3, 12], [3]),
        ("L4", [4], [4, 13], [4]),
        ("L5", [9], [5, 17], [2]),
        ("L6", [8], [6, 15, 19], [1]),
        ("L7", [3], [7, 21, 16], []),
        ("B10", [2], [16, 21, 7], []),
        ("B18", [5], [16], []),
        ("B22", [10], [15], [1]),
        ("B23", [11], [14], [2]),
    ],
    "sport": [
        ("L0", [0], [0, 9, 17, 20], [0, 2]),
        ("L1", [1], [1, 21], [1]),
        ("L2", [2], [2, 3, 22], [3]),
        ("L3", [3], [11, 19], [0, 2]),
        ("L4", [4], [4, 16], [1]),
        ("L5", [5], [5, 17, 9], [2, 3]),
        ("L6", [7], [6, 18], []),
        ("L7", [9], [12], [1]),
        ("B8", [6], [20], []),
        ("B7", [8], [13, 22], [4]),
        ("B10", [11], [], []),
    ],
    "health": [
        ("L0", [0], [0, 16, 15], []),
        ("L1", [1], [1, 7, 14], [0]),
        ("L2", [2], [2, 19], [1]),
        ("L3", [3], [3, 6, 23, 12], [2]),
        ("L4", [4], [4, 11], [3]),
        ("L5", [5], [5, 21, 17], []),
        ("L6", [6], [9, 18, 7], [0]),
        ("L7", [7], [8], [4]),
        ("B20", [8], [3, 23], [3]),
        ("B10", [9], [22, 15], []),
        ("B13", [10], [16], []),
        ("B12", [11], [3, 6], [2]),
    ],
    "science": [
        ("L0", [0], [0, 8, 22], [0]),
        ("L1", [1], [1, 9, 17], [1]),
        ("L2", [4], [2, 10, 19], [2]),
        ("L3", [3], [3, 11], [4]),
        ("L4", [5], [4, 12], [3]),
        ("L5", [6], [5, 13], []),
        ("L6", [7], [6, 14, 19], []),
        ("L7", [8], [7, 20], []),
        ("B18", [2], [17], []),
        ("B15", [9], [23, 17], []),
        ("B21", [10], [11], []),
        ("B16", [11], [17, 19], []),
    ],
    "entertainment": [
        ("L0", [0], [0, 9, 20, 19], []),
        ("L1", [1], [1, 8], []),
        ("L2", [2], [2, 10, 13], [1]),
        ("L3", [4], [3, 11, 20], [0]),
        ("L4", [5], [4, 12, 1], [3]),
        ("L5", [6], [5, 21], [4]),
        ("L6", [7], [6, 18], [2]),
        ("L7", [8], [7, 17], [0]),
        ("B22", [3], [11], []),
        ("B16", [10], [23], []),
        ("B15", [11], [14], []),
        ("B17", [9], [7], []),
    ],
}
