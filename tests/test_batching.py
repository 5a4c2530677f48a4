from fakes import EchoTranslator

from mt_toolkit.translate.base import DecodingOptions
from mt_toolkit.translate.batching import translate_unique


def test_order_and_count_kept_across_batches_and_duplicates_translated_once():
    sentences = [f"kalimat nomor {i}" + "x" * (i % 7) for i in range(23)] + ["Baca juga: ini", "", "Baca juga: ini"]
    translator = EchoTranslator()
    hyps = translate_unique(translator, sentences, src_lang="id", tgt_lang="en", options=DecodingOptions(batch_size=5))
    assert [h.text for h in hyps] == [f"en:{s}" if s else "" for s in sentences]
    sent = [s for batch in translator.batches for s in batch]
    assert sorted(sent) == sorted(set(s for s in sentences if s))  # each distinct sentence once, blanks never
    assert max(len(b) for b in translator.batches) == 5
    lengths = [len(s) for s in sent]
    assert lengths == sorted(lengths, reverse=True)  # length-sorted batches


def test_progress_reports_distinct_sentences():
    seen = []
    translate_unique(EchoTranslator(), ["a", "b", "a"], src_lang="id", tgt_lang="en",
                     options=DecodingOptions(batch_size=1), on_progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 2), (1, 2), (2, 2)]
