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

# German "originals" (their content does not matter: only MT is compared with TARGET).
GERMAN = [f"Deutscher Satz Nummer {i}." for i in range(len(ENGLISH))]


def noisy(sentence: str) -> str:
    """A machine translation that differs a little from the reference wording."""
    return sentence.replace("The ", "This ").replace(" the ", " a ").replace(".", " !")
