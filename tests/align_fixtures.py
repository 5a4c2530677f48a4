"""Small hand-written texts for the alignment tests: distinct content in every sentence.

SOURCE is "German" whose machine translation into English is MT; TARGET is the English version.
No shared data is needed.
"""

ENGLISH = [
    "The expedition left Kathmandu on the twelfth of March with forty porters.",
    "Heavy snow blocked the pass for nine days in a row.",
    "Doctor Keller measured the summit at 8848 metres using a theodolite.",
    "The old figure of 8840 metres had been accepted for a century.",
    "Two climbers reached the north ridge before the monsoon arrived.",
    "Their oxygen bottles were made in Switzerland by a small workshop.",
    "The camp was moved three times because of avalanches.",
    "A yak carried the radio equipment across the glacier.",
    "In the evening the cook served rice, lentils and strong tea.",
    "Nobody expected the weather to clear so quickly in May.",
    "The photographs were developed later in Zurich.",
    "The team returned home in July after five months away.",
]

# The German originals: the aligner compares MT with TARGET, and also German with English
# directly (both are written in Latin script: names and numbers are shared).
GERMAN = [
    "Die Expedition verliess Kathmandu am zwölften März mit vierzig Trägern.",
    "Starker Schneefall sperrte den Pass neun Tage hintereinander.",
    "Doktor Keller mass den Gipfel mit einem Theodoliten auf 8848 Meter.",
    "Die alte Zahl von 8840 Metern hatte ein Jahrhundert lang gegolten.",
    "Zwei Bergsteiger erreichten den Nordgrat vor dem Einsetzen des Monsuns.",
    "Ihre Sauerstoffflaschen stammten aus einer kleinen Werkstatt in der Schweiz.",
    "Das Lager wurde wegen Lawinen dreimal verlegt.",
    "Ein Yak trug die Funkausrüstung über den Gletscher.",
    "Am Abend servierte der Koch Reis, Linsen und starken Tee.",
    "Niemand hatte erwartet, dass das Wetter im Mai so schnell aufklaren würde.",
    "Die Fotografien wurden später in Zürich entwickelt.",
    "Im Juli kehrte die Mannschaft nach fünf Monaten Abwesenheit heim.",
]


def noisy(sentence: str) -> str:
    """A machine translation that differs a little from the reference wording."""
    return sentence.replace("The ", "This ").replace(" the ", " a ").replace(".", " !")
