"""Worked numbers of docs/multimodal/audio-generation.md, recomputed from their formulas.

Settings and their sources:
- EnCodec's 24 kHz model (github.com/facebookresearch/encodec at 0e2d0ae, encodec/model.py and
  encodec/modules/seanet.py): sample rate 24000, SEANet ratios [8, 5, 4, 2], which SEANetEncoder
  reverses (self.ratios = list(reversed(ratios))), so the encoder downsamples by 2, 4, 5, 8 in that
  order; 1024-entry codebooks,
  and n_q = 1000 * bandwidth // (frame_rate * 10) codebooks, so 8 at 6 kbps. VALL-E uses this
  setting (8 codebooks at 75 Hz, the first generated autoregressively, codebooks 2-8 one
  non-autoregressive pass each).
- CosyVoice's training recipe (github.com/FunAudioLLM/CosyVoice at ace7c47,
  examples/libritts/cosyvoice/conf/cosyvoice.yaml): 50 speech tokens per second, 4096 tokens.
- F5-TTS (github.com/SWivid/F5-TTS at 2ae2c9b): 24 kHz mel with hop 256, 32 function
  evaluations by default; RTF 0.15 from the abstract of arXiv 2410.06885.
- The README table of FunAudioLLM/CosyVoice at ace7c47 (test-zh: human CER 1.26 and SS 75.5,
  Fun-CosyVoice3-0.5B-2512_RL CER 0.81 and SS 77.4).
- T5Gemma-TTS (arXiv 2604.01760 abstract): Korean SIM 0.747 vs XTTSv2 0.741.
- FAD (Kilgour et al. 2018): the Fréchet distance between two Gaussians.
Each test asserts the page shows what it computed.
"""

from __future__ import annotations

import math

import numpy as np

from worked.pages import fmt_int, page_shows

AG = "multimodal/audio-generation.md"

SR = 24_000
CODE_RATIOS = (8, 5, 4, 2)  # SEANet's ratios argument, written in the decoder's upsampling order
STRIDES = tuple(reversed(CODE_RATIOS))  # the encoder's downsampling strides, in order
CODEBOOK = 1024
BANDWIDTH_KBPS = 6
SECONDS = 10


def encodec_frame_rate() -> float:
    return SR / math.prod(STRIDES)


def encodec_codebooks(bandwidth_kbps: float) -> int:
    # encodec/model.py: n_q = int(1000 * bandwidth // (ceil(sr / hop) * 10)); 10 = log2(1024) bits
    assert 2 ** 10 == CODEBOOK
    return int(1000 * bandwidth_kbps // (math.ceil(encodec_frame_rate()) * 10))


def test_encodec_frames_and_codes():
    assert STRIDES == (2, 4, 5, 8)
    page_shows(AG, "编码器四级下采样的步长依次是 2、4、5、8", "写成 8、5、4、2，编码器倒过来用")
    hop = math.prod(STRIDES)
    assert hop == 320 and encodec_frame_rate() == 75
    page_shows(AG, "$2 \\times 4 \\times 5 \\times 8 = 320$", "24 kHz 就是每秒 24,000 个采样点",
               "$24{,}000 \\div 320 = 75$ 帧/秒")
    # the bit rate the page works through: 10 bits per code, 8 codes per frame, 75 frames per second
    bits = int(math.log2(CODEBOOK))
    assert bits == 10 and 8 * bits == 80 and 80 * 75 == 1000 * BANDWIDTH_KBPS
    page_shows(AG, "$\\log_2 1024 = 10$ 比特", "$8 \\times 10 = 80$ 比特", "$80 \\times 75 = 6{,}000$ 比特，正是 6 kbps")
    samples = SR * SECONDS
    frames = samples // hop
    assert (samples, frames) == (240_000, 750)
    page_shows(AG, f"$24{{,}}000 \\times 10 = {fmt_int(samples)}$", f"${fmt_int(samples)} \\div 320 = 750$ 帧")
    q = encodec_codebooks(BANDWIDTH_KBPS)
    assert q == 8
    codes = frames * q
    assert codes == 6_000
    page_shows(AG, "$750 \\times 8 = 6{,}000$", "要走 6,000 步")


def test_valle_split():
    frames = SR * SECONDS // math.prod(STRIDES)
    q = encodec_codebooks(BANDWIDTH_KBPS)
    passes = frames + (q - 1)
    assert passes == 757
    page_shows(AG, "$750 + 7 = 757$", "7 级就是 7 次前向计算")
    ratio = frames * q / passes
    assert round(ratio, 1) == 7.9
    page_shows(AG, "$6{,}000 \\div 757 \\approx 7.9$", "$1/7.9$")
    # autoregressive steps per second and for 20 seconds
    assert encodec_frame_rate() == 75 and 75 * 20 == 1_500
    page_shows(AG, "每秒语音要自回归 75 步，20 秒就要 $75 \\times 20 = 1{,}500$ 步")


def test_cosyvoice_and_f5tts_steps():
    tokens_per_s, vocab = 50, 4096
    assert tokens_per_s * SECONDS == 500
    page_shows(AG, "每秒 50 个语音词元", "4096 个条目", "$50 \\times 10 = 500$ 步")
    mel_rate = SR / 256
    assert mel_rate == 93.75 and mel_rate * SECONDS == 937.5
    page_shows(AG, "$24{,}000 \\div 256 = 93.75$ 帧", "10 秒是 $93.75 \\times 10 = 937.5$ 帧", "默认做 32 次函数求值")
    # whole frames in the official code (SWivid/F5-TTS at 2ae2c9b): the vocos mel extractor in
    # src/f5_tts/model/modules.py is torchaudio MelSpectrogram(n_fft=1024, hop_length=256, center=True),
    # which pads n_fft // 2 on each side, so frames = 1 + (N + 2 * 512 - 1024) // 256;
    # src/f5_tts/infer/utils_infer.py turns a user-given fix_duration into int(seconds * 24000 / 256)
    n_fft, hop = 1024, 256
    samples = SR * SECONDS
    frames = 1 + (samples + 2 * (n_fft // 2) - n_fft) // hop
    last_centre = (frames - 1) * hop
    assert (samples, frames, last_centre) == (240_000, 938, 239_872)
    assert last_centre <= samples - 1 < last_centre + hop
    assert int(SECONDS * SR / hop) == 937
    # total length (src/f5_tts/infer/utils_infer.py): duration = ref_audio_len + int(ref_audio_len /
    # ref_text_len * gen_text_len / speed), text lengths in UTF-8 bytes, unless fix_duration is given
    page_shows(AG, "新句子就按同样的比例折算出帧数，再加上提示录音的帧数", "用户也可以直接给定总时长")
    page_shows(AG, "即 512 个采样点", "编号从 0 到 239,999", "$937 \\times 256 = 239{,}872$",
               "$937 + 1 = 938$ 帧", "取 937 帧")
    assert vocab == 2 ** 12


def test_real_time_factor():
    # F5-TTS paper (ACL 2025 / arXiv 2410.06885), Sec. 5 and Table 1 (10 s of speech on one RTX 3090):
    # 16 NFE gives RTF 0.15 (the abstract's figure), 32 NFE (the official code's default) gives 0.31
    rtf_by_nfe = {16: 0.15, 32: 0.31}
    default_nfe = 32
    assert math.isclose(rtf_by_nfe[16] * SECONDS, 1.5)
    page_shows(AG, "$0.15 \\times 10 = 1.5$ 秒", "做 16 次函数求值时，{term}`实时率`（Real-Time Factor，RTF）为 0.15",
               "做 16 次函数求值时，RTF 为 0.15", "做官方代码默认的 32 次时为 0.31")
    seconds_default = rtf_by_nfe[default_nfe] * SECONDS
    assert math.isclose(seconds_default, 3.1)
    page_shows(AG, "做默认的 32 次求值时，RTF 为 0.31，要 $0.31 \\times 10 = 3.1$ 秒")
    ratio = rtf_by_nfe[32] / rtf_by_nfe[16]
    assert round(ratio, 2) == 2.07
    page_shows(AG, "$0.31 \\div 0.15 \\approx 2.07$ 倍", "摘要里写的 0.15 是 16 次时的数字")
    # training data: the abstract's 100K hours; after filtering about 95K hours of English and Chinese
    assert 95_000 / 10_000 == 9.5
    page_shows(AG, "摘要写的是 10 万小时", "约 9.5 万小时的英语和汉语语音")


def test_readme_numbers():
    human_cer, cv3_cer = 1.26, 0.81
    assert round(human_cer - cv3_cer, 2) == 0.45
    page_shows(AG, "1.26%", "0.81%", "$1.26 - 0.81 = 0.45$ 个百分点")
    # the README header reads "test-zh<br>CER (%)"
    page_shows(AG, "表头注明字错误率的单位是百分数")
    page_shows(AG, "相似度是 75.5", "是 77.4")
    assert 77.4 > 75.5
    korean, xtts = 0.747, 0.741
    assert round(korean - xtts, 3) == 0.006
    page_shows(AG, "0.747", "0.741 只高 0.006")
    jp, jp_xtts = 0.677, 0.622
    assert jp > jp_xtts
    page_shows(AG, "0.677，高于 XTTSv2 的 0.622")


def test_cosine_similarity():
    a, b, c = np.array([1, 2, 2]), np.array([2, 1, 2]), np.array([2, -2, 1])
    assert a @ b == 8
    assert np.linalg.norm(a) == 3 and np.linalg.norm(b) == 3 and np.linalg.norm(c) == 3
    page_shows(AG, "$1 \\times 2 + 2 \\times 1 + 2 \\times 2$，即 $2 + 2 + 4 = 8$",
               "$\\lVert a \\rVert = \\sqrt{1 + 4 + 4} = 3$", "$\\lVert b \\rVert = \\sqrt{4 + 1 + 4} = 3$")
    cos_ab = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert round(float(cos_ab), 3) == 0.889
    page_shows(AG, "$8 \\div (3 \\times 3) = 8/9 \\approx 0.889$")
    assert a @ c == 0
    page_shows(AG, "$\\sqrt{4 + 4 + 1} = 3$", "$2 - 4 + 2 = 0$")


def frechet_1d(mu_r: float, var_r: float, mu_g: float, var_g: float) -> float:
    """The FAD formula with one-dimensional embeddings: covariances are variances."""
    return (mu_r - mu_g) ** 2 + (var_r + var_g - 2 * math.sqrt(var_r * var_g))


def test_fad_one_dimension():
    # the simplification the page shows: with variances s_r^2 and s_g^2 the trace term is (s_r - s_g)^2
    for s_r, s_g in [(1.0, 1.0), (1.0, 2.0), (0.3, 1.7)]:
        assert math.isclose(frechet_1d(0.0, s_r**2, 0.0, s_g**2), (s_r - s_g) ** 2)
    page_shows(AG, "$(\\sigma_r^2 \\sigma_g^2)^{1/2} = \\sigma_r \\sigma_g$",
               "$\\sigma_r^2 + \\sigma_g^2 - 2\\sigma_r\\sigma_g = (\\sigma_r - \\sigma_g)^2$",
               "$(\\mu_r - \\mu_g)^2 + (\\sigma_r - \\sigma_g)^2$")
    assert math.isclose(frechet_1d(0.0, 1.0, 0.5, 1.0), 0.25)
    page_shows(AG, "FAD $= 0.5^2 + 0^2 = 0.25$")
    assert math.isclose(frechet_1d(0.0, 1.0, 0.5, 4.0), 1.25)  # variance 4 = standard deviation 2
    page_shows(AG, "FAD $= 0.25 + (1 - 2)^2 = 1.25$", "$1 + 4 - 2 \\times \\sqrt{1 \\times 4} = 1$")
    assert math.isclose(1 + 4 - 2 * math.sqrt(1 * 4), 1)
    page_shows(AG, "$1.25 - 0.25 = 1$")


def test_fad_correlations():
    # Kilgour et al. 2018 abstract: FAD 0.52, SDR 0.39, cosine -0.15, magnitude L2 -0.01
    fad, sdr, cos, l2 = 0.52, 0.39, -0.15, -0.01
    assert fad > sdr > l2 > cos
    page_shows(AG, "相关系数为 0.52", "信号失真比（Signal-to-Distortion Ratio，SDR）为 0.39", "−0.15 和 −0.01")
    # the abstract ranks the coefficients by signed size (larger = closer to human perception); the
    # human scores run the same way as FAD (higher = less realistic; Google AI blog, 2019-10), so
    # FAD's positive coefficient means agreement although lower FAD is better
    assert max(fad, sdr, cos, l2) == fad
    page_shows(AG, "系数越大，指标的高低与人的评判越一致", "人给的分数越高，表示听起来越不真实，与 FAD 同向")


def test_t5gemma_ablation_numbers():
    # the abstract writes CER as a fraction (0.129, 0.982) next to a percentage (79%): 0.982 = 98.2%
    assert math.isclose(0.982 * 100, 98.2)
    page_shows(AG, "0.982 即 98.2%")
    page_shows(AG, "从 0.129 升到 0.982", "从 79% 降到 46%", "全部 26 个交叉注意力层",
               "2B 编码器加 2B 解码器，共 4B 参数")
    # the abstract's reason: a text prefix "competes with the growing audio sequence for positional
    # capacity, causing text conditioning to dilute over long utterances"
    page_shows(AG, "争夺有限的位置容量（作者的原词是 positional capacity）")
    assert 2 + 2 == 4
