"""Word banks for the data generator: fictional people, companies and conversations."""

FIRST_NAMES = (
    "Ava",
    "Liam",
    "Noah",
    "Mia",
    "Ethan",
    "Sofia",
    "Lucas",
    "Isla",
    "Mateo",
    "Zoe",
    "Omar",
    "Priya",
    "Hana",
    "Jonas",
    "Elena",
    "Kwame",
    "Yuki",
    "Diego",
    "Freya",
    "Ravi",
    "Nora",
    "Tariq",
    "Ingrid",
    "Chen",
    "Leila",
    "Marco",
    "Aisha",
    "Felix",
    "Greta",
    "Sami",
    "Julia",
    "Tomas",
    "Amara",
    "Erik",
    "Lina",
    "Pavel",
    "Rosa",
    "Ibrahim",
    "Clara",
    "Kenji",
)
LAST_NAMES = (
    "Walker",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Haddad",
    "Novak",
    "Fischer",
    "Santos",
    "Kowalski",
    "Nguyen",
    "Mensah",
    "Rossi",
    "Bergstrom",
    "Patel",
    "Duarte",
    "Larsen",
    "Kim",
    "Yilmaz",
    "Costa",
    "Abara",
    "Schmidt",
    "Ivanova",
    "Murphy",
    "Reyes",
    "Sato",
    "Dubois",
    "Chowdhury",
    "Andersen",
    "Ortiz",
)
COMPANY_NAME = "Northwind Analytics"
COMPANY_DOMAIN = "northwind.example"
ACCOUNTS = (
    "Globex",
    "Initech",
    "Umbrella Retail",
    "Hooli Cloud",
    "Vandelay Imports",
    "Stark Logistics",
    "Wayne Biotech",
    "Cyberdyne Health",
    "Soylent Foods",
    "Tyrell Energy",
    "Acme Freight",
    "Wonka Confectionery",
    "Oscorp Labs",
    "Gringotts Finance",
    "Monarch Media",
    "Pied Piper",
    "Massive Dynamic",
    "Aperture Robotics",
    "Duff Beverages",
    "Krusty Hospitality",
)
REP_TITLES = (
    "Account Executive",
    "Sales Development Rep",
    "Customer Success Manager",
    "Solutions Engineer",
    "Senior Account Executive",
)
MANAGER_TITLES = ("Sales Manager", "Director of Sales", "Head of Customer Success")
CONTACT_TITLES = (
    "VP Operations",
    "Head of Data",
    "CFO",
    "IT Director",
    "Procurement Lead",
    "Analytics Manager",
    "COO",
    "Product Owner",
)
WORKSPACES = (
    ("Sales", "New business pipeline"),
    ("Customer Success", "Renewals and expansion"),
    ("Partnerships", "Channel and alliance partners"),
    ("EMEA", "European sales team"),
    ("APAC", "Asia-Pacific sales team"),
)
CONFERENCE_SYSTEMS = ("Zoom", "Google Meet", "Microsoft Teams", "Webex")
TELEPHONY_SYSTEMS = ("RingCentral", "Aircall", "Outreach", "Dialpad")
CALL_KINDS = (
    "Discovery call",
    "Product demo",
    "Pricing review",
    "Technical deep dive",
    "Quarterly business review",
    "Renewal discussion",
    "Onboarding kickoff",
    "Negotiation",
    "Follow-up",
)
SDR_DISPOSITIONS = ("Connected", "Left voicemail", "No answer", "Meeting booked", "Wrong number")
LANGUAGES = (("eng", 86), ("spa", 5), ("fre", 4), ("ger", 5))

TOPICS = ("Small Talk", "Introduction", "Discovery", "Product Demo", "Pricing", "Objections", "Next Steps", "Wrap-up")
TOPIC_LINES: dict[str, tuple[str, ...]] = {
    "Small Talk": (
        "How was your weekend?",
        "Thanks for making the time today.",
        "Can you hear me all right?",
        "The weather has been great this week.",
        "Sorry, I was just finishing another call.",
        "Is everyone on the line now?",
        "Let me close a few tabs so my screen share is clean.",
        "We are still waiting for one more person to join.",
    ),
    "Introduction": (
        "Let me quickly introduce myself and the team.",
        "I lead the analytics team at {account}.",
        "We help companies like yours understand their pipeline.",
        "Today I would like to learn about your current setup.",
    ),
    "Discovery": (
        "What does your reporting process look like today?",
        "We spend a lot of time reconciling spreadsheets.",
        "How many people are involved in that workflow?",
        "Our biggest pain is the delay between quarter end and the numbers.",
        "Which tools are you using for forecasting right now?",
    ),
    "Product Demo": (
        "Let me share my screen and walk you through the dashboard.",
        "Here you can see every deal with its risk score.",
        "This view updates automatically from your CRM.",
        "Could you filter that by region?",
        "That looks much faster than what we do.",
    ),
    "Pricing": (
        "Pricing is per seat with an annual commitment.",
        "What kind of budget have you set aside for this?",
        "We would need a discount for a three year term.",
        "I can send over a proposal with two options.",
    ),
    "Objections": (
        "We already have a contract with another vendor.",
        "Security review usually takes us about six weeks.",
        "I am worried about the migration effort.",
        "We can run a pilot with a small team first.",
    ),
    "Next Steps": (
        "Let us schedule a follow-up with your IT team.",
        "I will send the security questionnaire today.",
        "Can we get the decision maker on the next call?",
        "We are aiming to sign before the end of the quarter.",
    ),
    "Wrap-up": (
        "Thanks everyone, this was really helpful.",
        "Talk to you next week.",
        "I will send a recap by email.",
        "Have a great rest of your day.",
        "Let me know if anything comes up before then.",
        "Great, I will share the slides too.",
    ),
}
TRACKERS = (
    ("Competitors", "KEYWORD", ("Contoso", "Fabrikam")),
    ("Pricing", "KEYWORD", ("discount", "budget", "price")),
    ("Security", "SMART", ()),
    ("Next steps", "SMART", ()),
)
FOLDERS = (
    "Best discovery calls",
    "Objection handling",
    "Onboarding examples",
    "Competitive wins",
    "Pricing conversations",
    "Demo highlights",
)
FOLDER_NOTES = (
    "Great questions in the first ten minutes.",
    "Listen to how pricing is framed.",
    "Good example of handling a security objection.",
    "",
    "Strong close.",
)

# Scorecards: (name, questions); a question is (text, type, answer guide, options).
SCORECARDS: tuple[tuple[str, tuple[tuple[str, str, str, tuple[str, ...]], ...]], ...] = (
    (
        "Discovery Call Scorecard",
        (
            ("How well did the rep run the call overall?", "RANGE", "Think of the customer's experience.", ()),
            ("Did the rep uncover the customer's main pain?", "RANGE", "Look for a pain stated in their words.", ()),
            (
                "Which next steps were agreed?",
                "MULTIPLE_CHOICE",
                "Tick every step both sides confirmed.",
                ("Follow-up meeting", "Proposal", "Technical review", "None"),
            ),
            ("Was the budget discussed?", "SINGLE_CHOICE", "", ("Yes", "Partly", "No")),
            ("What should the rep do differently next time?", "TEXT", "One or two concrete points.", ()),
        ),
    ),
    (
        "Demo Scorecard",
        (
            ("How convincing was the demo overall?", "RANGE", "", ()),
            ("Did the demo follow the customer's use case?", "RANGE", "Generic tours score low.", ()),
            ("Did the rep handle objections?", "SINGLE_CHOICE", "", ("Handled well", "Partly", "Missed")),
            ("Notes for the rep", "TEXT", "", ()),
        ),
    ),
    (
        "SDR Call Scorecard",
        (
            ("How do you rate the SDR's call overall?", "RANGE", "", ()),
            ("Was the value proposition clear?", "RANGE", "Within the first two minutes.", ()),
            ("Was a meeting booked?", "SINGLE_CHOICE", "", ("Yes", "No")),
        ),
    ),
)
SCORECARD_NOTES = (
    "Ask one more question before presenting.",
    "Great rapport; confirm the timeline in writing.",
    "Summarise next steps before the call ends.",
    "Let the customer finish before answering.",
)

# The generic CRM integration's seeded schema: object type -> (uniqueName, label, type, reference or values).
CRM_SCHEMA: dict[str, tuple[tuple[str, str, str, tuple[str, ...]], ...]] = {
    "ACCOUNT": (
        ("name", "Account Name", "STRING", ()),
        ("website", "Website", "URL", ()),
        ("industry", "Industry", "PICKLIST", ("Technology", "Retail", "Healthcare", "Finance", "Logistics")),
        ("annualRevenue", "Annual Revenue", "CURRENCY", ()),
        ("ownerId", "Account Owner", "REFERENCE", ("USER",)),
    ),
    "DEAL": (
        ("name", "Opportunity Name", "STRING", ()),
        ("stage", "Stage", "PICKLIST", ("Discovery", "Evaluation", "Negotiation", "Closed Won", "Closed Lost")),
        ("amount", "Amount", "CURRENCY", ()),
        ("closeDate", "Close Date", "DATE", ()),
        ("accountId", "Account", "REFERENCE", ("ACCOUNT",)),
        ("ownerId", "Opportunity Owner", "REFERENCE", ("USER",)),
    ),
    "CONTACT": (
        ("firstName", "First Name", "STRING", ()),
        ("lastName", "Last Name", "STRING", ()),
        ("email", "Email", "EMAILADDRESS", ()),
        ("phone", "Phone", "PHONENUMBER", ()),
        ("title", "Title", "STRING", ()),
        ("accountId", "Account", "REFERENCE", ("ACCOUNT",)),
    ),
    "LEAD": (
        ("firstName", "First Name", "STRING", ()),
        ("lastName", "Last Name", "STRING", ()),
        ("email", "Email", "EMAILADDRESS", ()),
        ("phone", "Phone", "PHONENUMBER", ()),
        ("company", "Company", "STRING", ()),
        ("status", "Lead Status", "PICKLIST", ("Open", "Working", "Qualified", "Unqualified")),
    ),
}

# Gong Engage flows: company flows (name, exclusive) and the folder names flows sit in.
COMPANY_FLOWS = (
    ("Outbound prospecting", True),
    ("Inbound lead follow-up", False),
    ("Event attendees", False),
    ("Closed-lost nurture", False),
)
FLOW_FOLDERS = {"Company": "Company flows", "Personal": "My flows", "Shared": "Team flows"}
