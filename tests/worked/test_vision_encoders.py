"""Worked numbers of docs/multimodal/vision-encoders.md, recomputed from their formulas.

The sigmoid loss follows SigLIP's official trainer (google-research/big_vision,
big_vision/trainers/proj/image_text/siglip.py): logits = t * <x_i, y_j> + b, each entry a
binary term -log sigmoid(z_ij * logit) with z = +1 on the diagonal and -1 elsewhere, summed
over each row and averaged over the rows (so divided by the batch size N). The cosine
matrix is the one of the CLIP example in docs/multimodal/introduction.md; t = 10 and b = -5
are illustrative (the page says so). Patch counts are floor(side / patch) squared; 729 for
384 px at patch 14 is also what LLaVA-OneVision reports for its SigLIP encoder.
"""

from __future__ import annotations

import math

from worked.pages import page_shows

VE = "multimodal/vision-encoders.md"

COS = [[0.8, 0.3], [0.2, 0.7]]
T, B = 10.0, -5.0


def nll(a: float) -> float:
    """-log sigmoid(a) = log(1 + e^-a)."""
    return math.log1p(math.exp(-a))


def sigmoid(a: float) -> float:
    return 1 / (1 + math.exp(-a))


def logits(t: float, b: float) -> list[list[float]]:
    return [[t * c + b for c in row] for row in COS]


def terms(t: float, b: float) -> list[list[float]]:
    lg = logits(t, b)
    return [[nll((1 if i == j else -1) * lg[i][j]) for j in range(2)] for i in range(2)]


def siglip_loss(t: float, b: float) -> float:
    n = len(COS)
    return sum(sum(row) for row in terms(t, b)) / n


def softmax_clip_loss(tau: float) -> float:
    """The introduction page's symmetric InfoNCE on the same matrix, for the comparison sentence."""
    s = [[c / tau for c in row] for row in COS]
    n = len(s)
    rows = sum(-s[i][i] + math.log(sum(math.exp(v) for v in s[i])) for i in range(n))
    cols = sum(-s[i][i] + math.log(sum(math.exp(s[k][i]) for k in range(n))) for i in range(n))
    return (rows + cols) / (2 * n)


def test_patch_counts():
    assert 224 // 16 == 14 and 14 * 14 == 196 and 16 * 16 * 3 == 768
    page_shows(VE, r"$224 \div 16 = 14$", r"$14 \times 14 = 196$", r"$16 \times 16 \times 3 = 768$")
    # doubling the side quadruples the patch count
    assert 448 // 16 == 28 and 28 * 28 == 784 and 784 / 196 == 4
    page_shows(VE, r"$448 \div 16 = 28$", r"$28 \times 28 = 784$", r"$784 \div 196 = 4$")
    side = 384 // 14
    assert side == 27 and f"{384 / 14:.1f}" == "27.4" and side * 14 == 378 and side**2 == 729
    page_shows(VE, r"$384 \div 14 \approx 27.4$", r"$27 \times 14 = 378$", r"$27 \times 27 = 729$")
    assert 384 - side * 14 == 6 and 6 < 14
    page_shows(VE, r"$384 - 378 = 6$ 像素不够一个方块")
    side16 = 384 // 16
    assert side16 == 24 and side16**2 == 576 and 729 - 576 == 153
    page_shows(VE, r"$384 \div 16 = 24$", r"$24 \times 24 = 576$", r"$729 - 576 = 153$")


def test_positive_share_of_pairs():
    n = 1000
    share = n / n**2
    assert math.isclose(share, 0.001) and math.isclose(1 - share, 0.999)
    page_shows(VE, r"$1,000 \div 1,000,000 = 0.1\%$", "99.9%")


def test_initial_bias_and_temperature():
    """SigLIP paper section 3.2: t = exp(t'), with t' initialised to log 10 and b to -10."""
    assert math.isclose(math.exp(math.log(10)), 10)
    page_shows(VE, r"初始化为 $b = -10$（$t$ 初始化为 10）")


def test_threshold_and_logits():
    assert -B / T == 0.5
    page_shows(VE, r"$-b/t = 5 \div 10 = 0.5$")
    assert logits(T, B) == [[3.0, -2.0], [-3.0, 2.0]]
    page_shows(VE, r"$10 \times 0.8 - 5 = 3$", r"$10 \times 0.3 - 5 = -2$",
               r"$10 \times 0.2 - 5 = -3$", r"$10 \times 0.7 - 5 = 2$")


def test_sigmoid_loss_with_bias():
    tm = terms(T, B)
    assert f"{tm[0][0]:.4f}" == "0.0486" and f"{tm[0][1]:.4f}" == "0.1269"
    assert math.isclose(tm[0][0], tm[1][0]) and math.isclose(tm[0][1], tm[1][1])
    assert f"{sigmoid(3):.4f}" == "0.9526"
    page_shows(VE, r"$\log(1 + e^{-3}) \approx 0.0486$", r"$\sigma(3) \approx 0.9526$",
               r"$\log(1 + e^{-2}) \approx 0.1269$", "损失约 0.0486", "损失约 0.1269")
    total = sum(sum(r) for r in tm)
    assert f"{total:.4f}" == "0.3510" and f"{siglip_loss(T, B):.4f}" == "0.1755"
    # the page adds the four rounded terms, which gives the same four digits
    assert f"{2 * 0.0486 + 2 * 0.1269:.4f}" == "0.3510"
    page_shows(VE, r"$2 \times (0.0486 + 0.1269) = 0.3510$", r"$\mathcal{L} \approx 0.1755$")
    page_shows(VE, "和 (1, 1) 一样，损失约 0.0486", "和 (1, 2) 一样，损失约 0.1269")


def test_sigmoid_loss_without_bias():
    assert logits(T, 0.0) == [[8.0, 3.0], [2.0, 7.0]]
    assert f"{sigmoid(3):.4f}" == "0.9526" and f"{sigmoid(2):.4f}" == "0.8808"
    page_shows(VE, "logit 变成 8、3、2、7", r"$\sigma(3) \approx 0.9526$", r"$\sigma(2) \approx 0.8808$")
    tm = terms(T, 0.0)
    assert f"{tm[0][1]:.4f}" == "3.0486" and f"{tm[1][0]:.4f}" == "2.1269"
    assert f"{tm[0][0]:.4f}" == "0.0003" and f"{tm[1][1]:.4f}" == "0.0009"
    assert f"{nll(8):.4f}" == "0.0003" and f"{nll(7):.4f}" == "0.0009"
    page_shows(VE, r"$z \cdot \text{logit}$ 是 $-3$ 和 $-2$",
               r"$\log(1 + e^{3}) \approx 3.0486$", r"$\log(1 + e^{2}) \approx 2.1269$",
               r"$z \cdot \text{logit}$ 是 8 和 7",
               r"$\log(1 + e^{-8}) \approx 0.0003$", r"$\log(1 + e^{-7}) \approx 0.0009$")
    total = sum(sum(r) for r in tm)
    loss = siglip_loss(T, 0.0)
    assert f"{total:.4f}" == "5.1768" and f"{loss:.4f}" == "2.5884"
    # the rounded terms add up to 5.1767, hence the page's "用未取整的四项相加"
    assert f"{3.0486 + 2.1269 + 0.0003 + 0.0009:.4f}" == "5.1767"
    assert f"{loss / siglip_loss(T, B):.1f}" == "14.7" and f"{2.5884 / 0.1755:.1f}" == "14.7"
    page_shows(VE, "四项之和约 5.1768（用未取整的四项相加）", "损失约 2.5884",
               r"$2.5884 \div 0.1755 \approx 14.7$ 倍")


def test_adding_a_pair_adds_five_terms():
    # new image x 3 texts, plus 2 old images x new text
    assert 3**2 - 2**2 == 5 == 3 + 2
    page_shows(VE, r"$3^2 - 2^2 = 5$", r"$3 + 2 = 5$")


def test_comparison_with_the_softmax_loss():
    clip = softmax_clip_loss(0.1)
    assert f"{clip:.4f}" == "0.0085"
    page_shows("multimodal/introduction.md", r"$\mathcal{L} \approx 0.0085$")
    page_shows(VE, "对比损失约为 0.0085", "比上面的 0.1755 小")
    # The two normalisations the page contrasts: 1/(2N) on the introduction page, 1/N here;
    # and softmax ignores a common shift of the logits, which sigmoid does not.
    page_shows("multimodal/introduction.md", r"\mathcal{L} = \frac{1}{2N}")
    page_shows(VE, r"\mathcal{L} = -\frac{1}{N}", "介绍一章的损失除以 $2N$，这里除以 $N$")
    shifted = [[c / 0.1 + 7.0 for c in row] for row in COS]
    rows = sum(-shifted[i][i] + math.log(sum(math.exp(v) for v in shifted[i])) for i in range(2))
    cols = sum(-shifted[i][i] + math.log(sum(math.exp(shifted[k][i]) for k in range(2))) for i in range(2))
    assert math.isclose((rows + cols) / 4, clip)
    assert not math.isclose(siglip_loss(T, B + 7.0), siglip_loss(T, B))


def test_interleaved_mof_gains():
    """Interleaved-MoF rows of the project page's result table (mmvp_blog images/I-MoF.png):
    LLaVA 336px 6.0 -> I-MoF 16.7 on MMVP (+10.7 points), LLaVA-1.5 24.7 -> 28.0 (+3.3);
    the LLaVA benchmark (instruction following) 81.4 -> 82.8 and 84.7 -> 82.7."""
    assert f"{16.7 - 6.0:.1f}" == "10.7" and f"{28.0 - 24.7:.1f}" == "3.3"
    page_shows(VE, r"$16.7 - 6.0 = 10.7$ 个百分点", r"$28.0 - 24.7 = 3.3$ 个百分点")
    assert 82.8 > 81.4 and f"{84.7 - 82.7:.1f}" == "2.0"
    page_shows(VE, "从 81.4 升到 82.8", "从 84.7 降到 82.7", r"$84.7 - 82.7 = 2.0$ 分")


def test_mmvp_pairs_and_genlip_ratio():
    assert 300 // 2 == 150
    page_shows(VE, r"$300 \div 2 = 150$")
    # two options per question, a pair scores only if both answers are right:
    # independent guessing gives 1/2 * 1/2, the paper's "random guess level (25%)"
    assert 0.5 * 0.5 == 1 / 4 == 0.25
    page_shows(VE, r"$1/2 \times 1/2 = 1/4$", "随机猜测水平 25%")
    assert 8 / 40 == 1 / 5
    page_shows(VE, r"$8 \div 40 = 1/5$")


def test_merged_patches_per_token():
    """Qwen2-VL and InternVL3 merge 2 x 2 neighbouring patches into one token (see
    docs/multimodal/introduction.md, which works the 448 px example: 1,024 patches -> 256 tokens)."""
    patches_448 = (448 // 14) ** 2
    assert patches_448 == 1024 and patches_448 // (2 * 2) == 256 and 256 / 1024 == 1 / 4
    page_shows(VE, "相邻的 2×2 个方块合成一个词元，词元数减到四分之一")
    page_shows("multimodal/introduction.md", "1,024 ÷ 4 = 256")
