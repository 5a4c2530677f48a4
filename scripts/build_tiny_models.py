#!/usr/bin/env python3
"""Build tiny random-weight translation models in the standard Hugging Face folder layout.

No machine of this project reaches the Hugging Face hub, yet the model-loading code must be the
code under test. So this script trains a SentencePiece vocabulary on a few hundred generated
lines (Indonesian, English, Russian, Chinese words), builds Marian (OPUS-MT layout: source.spm,
target.spm, vocab.json), M2M100 (vocab.json, sentencepiece.bpe.model, language tokens) and
NLLB (NllbTokenizer with FLORES-200 codes) models, and a sentence-transformers encoder
(`build_sentence_embedder`, for the aligner's embedding space),
with random weights, and saves them with ``save_pretrained`` exactly as a downloaded model sits on
disk. Their output is gibberish; tests use them for mechanics, never quality.

Usage:
    python scripts/build_tiny_models.py OUT_DIR [--opus-size [--spm-corpus FILE ...]]

``--opus-size`` builds the Marian model at OPUS-MT size (6+6 layers, d_model 512, FFN 2048,
~8k vocabulary) for benchmarks instead of the tiny one.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

# Small word lists: enough for SentencePiece to learn pieces in each script. Our own words,
# no copied corpus.
WORDS = {
    "id": "pemerintah presiden kerja sama negara rakyat ekonomi dunia baru kami akan tidak harus "
    "boleh dan atau dengan untuk dari pada tahun juta miliar persen kunjungan kenegaraan "
    "perdamaian keamanan pembangunan menteri luar negeri mengatakan kata ujar bahwa ini itu "
    "Juli Agustus Senin Selasa Jakarta Beijing Moskow Astana kota desa sekolah rumah sakit".split(),
    "en": "government president cooperation country people economy world new we will not must "
    "may and or with for from on year million billion percent state visit peace security "
    "development minister foreign said says that this the July August Monday Tuesday "
    "Jakarta Beijing Moscow Astana city village school hospital".split(),
    "ru": "правительство президент сотрудничество страна народ экономика мир новый мы будем не "
    "должны могут и или с для из в год миллион миллиард процент визит безопасность развитие "
    "министр иностранных дел заявил сказал что это июль август понедельник Пекин Москва Астана "
    "город школа больница".split(),
    "zh": list("政府主席合作国家人民经济世界新我们将不必须可以和或与为从在年百万十亿百分访问和平安全发展部长外交表示说这七月八月北京莫斯科阿斯塔纳城市学校医院"),
}

LANG_TOKENS = ["en", "id", "ru", "zh"]


def generate_corpus(n_lines: int = 400, seed: int = 0) -> list[str]:
    """A few hundred pseudo-sentences per language, with digits and punctuation."""
    rng = random.Random(seed)
    lines = []
    for i in range(n_lines):
        lang = LANG_TOKENS[i % len(LANG_TOKENS)]
        words = [rng.choice(WORDS[lang]) for _ in range(rng.randint(4, 14))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), str(rng.randint(1, 2024)))
        sep = "" if lang == "zh" else " "
        end = "。" if lang == "zh" else rng.choice([".", ".", "?", "!"])
        lines.append(sep.join(words) + end)
    return lines


def train_spm(corpus: list[str], prefix: Path, vocab_size: int) -> Path:
    import sentencepiece as spm

    text_file = prefix.with_suffix(".txt")
    text_file.write_text("\n".join(corpus) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text_file),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # a small corpus cannot fill a fixed-size vocabulary
        character_coverage=1.0,
        model_type="unigram",
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        minloglevel=2,
    )
    text_file.unlink()
    return prefix.with_suffix(".model")


def _spm_pieces(model_file: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model_file))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_marian(
    out: Path, work: Path, *, opus_size: bool = False, seed: int = 0, spm_corpus: list[str] | None = None,
    vocab_size: int | None = None,
) -> Path:
    """A Marian model in OPUS-MT's layout; MarianTokenizer wants </s>=0, <unk>=1, <pad> last.

    ``spm_corpus``: real text to train the vocabulary on. The generated word lists only yield
    ~1.3k pieces, so real sentences split into ~130 pieces each and a benchmark would measure a
    model with 3x longer inputs than OPUS-MT's; trained on real text the vocabulary reaches ~8k.
    ``vocab_size``: pad the model's vocabulary with filler pieces up to this size. Real OPUS-MT
    vocabularies hold ~60k pieces and their output projection dominates decoding, but no text
    at hand trains a 60k SentencePiece model; fillers give the real width while the input keeps
    the pieces per sentence of the trained vocabulary. A random model does emit fillers.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    corpus = spm_corpus if spm_corpus else generate_corpus(2000 if opus_size else 400, seed=seed)
    spm_model = train_spm(corpus, work / "marian", vocab_size=8000 if opus_size else 600)
    pieces = [p for p in _spm_pieces(spm_model) if p not in ("<unk>", "<s>", "</s>", "<pad>")]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    for k in range(max(0, (vocab_size or 0) - len(vocab) - 1)):
        vocab.setdefault(f"\u2581filler{k}", len(vocab))
    vocab["<pad>"] = len(vocab)
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes(spm_model.read_bytes())

    size = dict(d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
                decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048) if opus_size \
        else dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                  decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64)
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), max_position_embeddings=512, pad_token_id=pad, eos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0, scale_embedding=True,
        share_encoder_decoder_embeddings=True, **size,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config.max_length = 64
    model.generation_config.num_beams = 4
    model.save_pretrained(out)
    tokenizer = MarianTokenizer(source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
                                vocab=str(out / "vocab.json"))
    tokenizer.save_pretrained(out)
    return out


def build_m2m100(out: Path, work: Path, *, seed: int = 0) -> Path:
    """An M2M100 model with language tokens ``__en__``, ``__id__``, ... after the SentencePiece vocabulary."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    spm_model = train_spm(generate_corpus(400, seed=seed + 1), work / "m2m", vocab_size=600)
    pieces = [p for p in _spm_pieces(spm_model) if p not in ("<unk>", "<s>", "</s>", "<pad>")]
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "sentencepiece.bpe.model").write_bytes(spm_model.read_bytes())
    tokenizer = M2M100Tokenizer(vocab_file=str(out / "vocab.json"),
                                spm_file=str(out / "sentencepiece.bpe.model"),
                                language_codes="m2m100", num_madeup_words=0)
    # language tokens sit after the SentencePiece vocabulary; len(tokenizer) does not count them
    vocab_size = max(tokenizer.get_lang_id(code) for code in tokenizer.lang_code_to_token) + 1
    config = M2M100Config(
        vocab_size=vocab_size, d_model=32, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=512, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, decoder_start_token_id=2,
    )
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config)
    model.generation_config.max_length = 64
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def build_nllb(out: Path, work: Path, *, seed: int = 0) -> Path:
    """An NLLB-style model (M2M100 architecture, NllbTokenizer with FLORES-200 codes like ``ind_Latn``)."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    spm_model = train_spm(generate_corpus(400, seed=seed + 2), work / "nllb", vocab_size=600)
    src_dir = work / "nllb-src"
    src_dir.mkdir()
    (src_dir / "sentencepiece.bpe.model").write_bytes(spm_model.read_bytes())
    tokenizer = NllbTokenizer.from_pretrained(src_dir, additional_special_tokens=list(FAIRSEQ_LANGUAGE_CODES))
    config = M2M100Config(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=512, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config)
    model.generation_config.max_length = 64
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def build_sentence_embedder(out: Path, work: Path, *, seed: int = 0) -> Path:
    """A tiny BERT sentence encoder in sentence-transformers' layout (as LaBSE is downloaded).

    A WordPiece vocabulary of our word lists plus single characters (so any Latin-script word
    becomes pieces rather than ``[UNK]``), built deterministically: a trained WordPiece
    vocabulary changes with every run, and with it which sentences the encoder can tell apart.
    Two layers of width 32, mean pooling and normalisation, saved with
    ``SentenceTransformer.save``. Weights are drawn with a large ``initializer_range``: at BERT's
    usual 0.02 a random encoder maps all sentences to nearly the same vector (median cosine of
    distinct test sentences 0.98), at 1.0 they differ more (0.94) while identical ones still
    coincide, which is what the tests rely on. Needs the ``embeddings`` extra.
    """
    import string

    import torch
    from sentence_transformers import SentenceTransformer
    try:
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    except ImportError:  # sentence-transformers before 6
        from sentence_transformers.models import Normalize, Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = sorted({w.lower() for ws in WORDS.values() for w in ws})
    chars = sorted(set(string.ascii_lowercase + string.digits + string.punctuation + "äöüßéèàç")
                   | {c for w in words for c in w})
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + ["##" + c for c in chars]
    pieces += [w for w in words if w not in chars]
    tokenizer = BertTokenizerFast(vocab={piece: i for i, piece in enumerate(pieces)}, do_lower_case=True)
    config = BertConfig(vocab_size=len(pieces), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128,
                        initializer_range=1.0)
    torch.manual_seed(seed)
    bert_dir = work / "bert"
    BertModel(config).save_pretrained(bert_dir)
    tokenizer.save_pretrained(bert_dir)
    encoder = SentenceTransformer(modules=[
        Transformer(str(bert_dir), max_seq_length=128), Pooling(32, "mean"), Normalize(),
    ])
    encoder.save(str(out))
    return out


def build_all(out_dir: Path, *, opus_size: bool = False, spm_corpus: list[str] | None = None,
              vocab_size: int | None = None) -> dict[str, Path]:
    """Build every tiny model under ``out_dir``; returns {name: folder}."""
    import tempfile

    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if opus_size:
            return {"marian-opus-size": build_marian(
                out_dir / "marian-opus-size", work, opus_size=True, spm_corpus=spm_corpus, vocab_size=vocab_size)}
        return {
            # two Marian models with different seeds stand in for id→en and en→id in pivot tests
            "marian": build_marian(out_dir / "marian", work, seed=0),
            "marian-b": build_marian(out_dir / "marian-b", work, seed=1),
            "m2m100": build_m2m100(out_dir / "m2m100", work, seed=0),
            "nllb": build_nllb(out_dir / "nllb", work, seed=0),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--opus-size", action="store_true", help="OPUS-MT-sized Marian for benchmarks")
    parser.add_argument("--spm-corpus", type=Path, nargs="*", default=[],
                        help="text files to train the vocabulary on (benchmarks: real text gives an ~8k vocabulary)")
    parser.add_argument("--vocab-size", type=int, help="--opus-size: pad the vocabulary to this size (OPUS-MT: ~60000)")
    args = parser.parse_args()
    corpus = [line for f in args.spm_corpus for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name, path in build_all(args.out_dir, opus_size=args.opus_size, spm_corpus=corpus or None,
                                     vocab_size=args.vocab_size).items():
        print(f"{name}\t{path}")


if __name__ == "__main__":
    main()
