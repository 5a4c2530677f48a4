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


def test_token_budget_cuts_batches_by_padded_size():
    from mt_toolkit.translate.batching import token_budget_batches

    lengths = [3, 10, 2, 10, 4, 30, 3]
    batches = token_budget_batches(lengths, 20)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))  # nothing lost or repeated
    assert batches[0] == [5]  # longer than the budget: alone, not dropped
    for batch in batches[1:]:
        assert len(batch) * max(lengths[i] for i in batch) <= 20
    assert batches == [[5], [1, 3], [4, 0, 6, 2]]  # longest first, each batch as full as the budget allows


def test_token_budget_batches_use_the_backends_token_count():
    class Counting(EchoTranslator):
        def count_tokens(self, sentences):
            return [len(s.split()) for s in sentences]

    translator = Counting()
    sentences = ["a b c d e f g h"] + [f"w{i}" for i in range(12)] + ["w3"]
    hyps = translate_unique(translator, sentences, src_lang="id", tgt_lang="en",
                            options=DecodingOptions(batch_size=2, max_batch_tokens=8))
    assert [h.text for h in hyps] == [f"en:{s}" for s in sentences]
    # the 8-token sentence fills a batch alone; the twelve 1-token ones share a batch despite batch_size=2
    assert [len(b) for b in translator.batches] == [1, 8, 4]
