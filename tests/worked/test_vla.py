"""Worked numbers of docs/multimodal/vla.md, recomputed from their formulas.

The paper's own numbers: RT-2 (Brohan et al. 2023, sec. 3.2-3.3): 8 action tokens per step,
256 uniform bins, 55B model at 1-3 Hz and 5B at about 5 Hz. OpenVLA (Kim et al. 2024, sec. 3.5):
about 6 Hz on one RTX 4090. pi0 (Black et al. 2024, sec. IV-V): chunks of H = 50 actions, control
up to 50 Hz, 10 forward Euler steps (delta = 0.1). 14-dimensional bimanual actions at 50 Hz are
the Trossen (ALOHA) and ARX arms; the bimanual UR5e is also 14-dimensional but runs at 20 Hz
(openpi docs/norm_stats.md: 'Control frequencies are either 20 Hz for UR5e and Franka, and 50 Hz
for ARX and Trossen (ALOHA) arms').
OpenVLA-OFT (Kim, Finn, Liang 2025, abstract): LIBERO average 76.5% -> 97.1%.
The discretisation range [-0.1, 0.1] m, the value 0.0123 m, the 7-dimensional action and the
binomial example (p = 0.8, n = 50; 80% vs 86%) are the page's own illustrative choices.
"""

from __future__ import annotations

import math
import re

from worked.pages import page, page_shows

VLA = "multimodal/vla.md"


def test_one_dimension_in_256_bins():
    lo, hi, n = -0.1, 0.1, 256
    width = (hi - lo) / n
    assert width == 0.00078125
    value = 0.0123
    ratio = (value - lo) / width
    k = math.floor(ratio)
    assert (round(ratio, 3), k) == (143.744, 143)
    centre = lo + (k + 0.5) * width
    assert math.isclose(centre, 0.012109375)
    error_mm = (value - centre) * 1000
    assert f"{error_mm:.2f}" == "0.19"
    half_mm = width / 2 * 1000
    assert math.isclose(half_mm, 0.390625)
    # the rounded values the page shows are formatted from the computed ones
    width_mm, centre_mm = width * 1000, centre * 1000
    page_shows(VLA, "$N = 256$",
               rf"区间宽 $0.1 - (-0.1) = {hi - lo:.1f}$ 米，$w = {hi - lo:.1f} \div {n} = {width:.8f}$ 米，"
               rf"约 {width_mm:.2f} 毫米",
               rf"$(0.0123 + 0.1) \div {width:.8f} = {ratio:.3f}$", f"$k = {k}$", f"数字 {k}",
               r"中点 $a_{\min} + (k + 0.5)\,w$",
               rf"$-0.1 + ({k} + 0.5) \times {width:.8f} = {centre:.9f}$ 米，约 {centre_mm:.2f} 毫米",
               rf"相差 $12.3 - {centre_mm:.6f} \approx {error_mm:.2f}$ 毫米",
               rf"${width_mm:.5f} \div 2 \approx {half_mm:.2f}$ 毫米")
    # an outlier that stretches the upper bound from 0.1 m to 0.3 m doubles every bin
    wide = (0.3 - lo) / n
    assert math.isclose(wide, 0.0015625) and f"{wide * 1000:.2f}" == "1.56"
    assert math.isclose(wide / width, 2)
    page_shows(VLA, "从 0.1 米撑到 0.3 米，区间就从 0.2 米变成 0.4 米",
               r"$0.4 \div 256 = 0.0015625$ 米，约 1.56 毫米，是原来的 2 倍")


def test_control_frequency_in_milliseconds():
    assert 1000 / 50 == 20
    page_shows(VLA, r"控制频率为 50 Hz，就是每 $1000 \div 50 = 20$ 毫秒做一次决定")


def test_example_action_string_has_eight_integers():
    # RT-2 (sec. 3.2 and the project page robotics-transformer2.github.io): an action is
    # 8 integers, e.g. "1 128 91 241 5 101 127 217"; the page's example must have all 8.
    strings = re.findall(r"例如 `([0-9 ]+)`", page(VLA))
    assert strings, "the page shows no example action string"
    numbers = [int(x) for x in strings[0].split()]
    assert len(numbers) == 8
    assert all(0 <= x <= 255 for x in numbers)
    assert 6 + 1 + 1 == 8  # 6 end-effector degrees of freedom, the gripper, the terminate command
    page_shows(VLA, "$6 + 1 + 1 = 8$ 维", "8 个 0 到 255 之间的整数", "`1 128 91 241 5 101 127 217`")


def test_action_tokens_per_second():
    rt2 = 8
    assert (rt2 * 1, rt2 * 3, rt2 * 5) == (8, 24, 40)
    page_shows(VLA, "每步 8 个词元", r"$8 \times 1 = 8$", r"$8 \times 3 = 24$", r"$8 \times 5 = 40$")
    assert 3 + 3 + 1 == 7 and (6 + 1) * 2 == 14
    page_shows(VLA, r"$3 + 3 + 1 = 7$", r"$(6 + 1) \times 2 = 14$")
    openvla = 7 * 6
    assert openvla == 42
    page_shows(VLA, r"$7 \times 6 = 42$", "15 GB", "约 6 Hz")
    page_shows(VLA, "双臂 Trossen（按 ALOHA 的方式搭建）和双臂 ARX 机器人的动作有 14 维", "控制频率是 50 Hz",
               "双臂 UR5e 也是 14 维，但只有 20 Hz")
    bimanual = 14 * 50
    assert bimanual == 700
    per_token_ms = 1000 / bimanual
    assert f"{per_token_ms:.2f}" == "1.43"
    assert f"{bimanual / openvla:.1f}" == "16.7"
    page_shows(VLA, r"$14 \times 50 = 700$", r"只有 $1000 \div 700 \approx 1.43$ 毫秒",
               r"$700 \div 42 \approx 16.7$ 倍")


def test_one_action_chunk():
    horizon, hz, steps, dims = 50, 50, 10, 14
    assert horizon / hz == 1
    assert math.isclose(1 / steps, 0.1)
    # ten Euler steps of 0.1 take tau from 0 (noise) to 1 (the action chunk)
    taus = [round(i / steps, 1) for i in range(steps + 1)]
    assert taus[:3] == [0.0, 0.1, 0.2] and taus[-1] == 1.0
    # u = A - eps is the derivative of A^tau = tau*A + (1 - tau)*eps with respect to tau
    a, eps, h = 0.7, -0.4, 1e-6
    mix = lambda tau: tau * a + (1 - tau) * eps  # noqa: E731
    assert math.isclose((mix(0.5 + h) - mix(0.5 - h)) / (2 * h), a - eps, rel_tol=1e-6)
    assert horizon * dims == 700
    page_shows(VLA, "$H = 50$", r"$50 \div 50 = 1$ 秒", r"$\delta = 1 \div 10 = 0.1$", "论文用 10 步",
               r"$50 \times 14 = 700$ 个")


def test_chunks_are_replanned_before_they_run_out():
    # pi0 appendix D: a new chunk every 25 actions at 50 Hz and every 16 actions at 20 Hz
    assert 25 / 50 == 0.5 and 16 / 20 == 0.8
    page_shows(VLA, r"每执行 25 个动作重新生成一次，即 $25 \div 50 = 0.5$ 秒",
               r"20 Hz 时每 16 个动作一次，即 $16 \div 20 = 0.8$ 秒")


def test_success_rates():
    before, after = 76.5, 97.1
    fail_before, fail_after = 100 - before, 100 - after
    assert (round(fail_before, 1), round(fail_after, 1)) == (23.5, 2.9)
    assert f"{fail_before / fail_after:.1f}" == "8.1"
    page_shows(VLA, "从 76.5% 升到 97.1%", "$100 - 76.5 = 23.5$%", "$100 - 97.1 = 2.9$%",
               r"$23.5 \div 2.9 \approx 8.1$，即失败的次数降到原来的约八分之一")
    p, n = 0.8, 50
    assert math.isclose(p * (1 - p) / n, 0.0032)
    se = math.sqrt(p * (1 - p) / n)
    assert f"{se:.3f}" == "0.057"
    page_shows(VLA, r"方差 $0.8 \times 0.2 / 50 = 0.0032$", rf"标准误差 $\sqrt{{0.0032}} \approx {se:.3f}$",
               f"约 {se * 100:.1f} 个百分点")
    # Comparing two models: the yardstick is the standard error of the difference of two
    # independent estimates, sqrt(var_a + var_b), not the standard error of one of them.
    pa, pb = 0.80, 0.86
    var_a, var_b = pa * (1 - pa) / n, pb * (1 - pb) / n
    assert math.isclose(var_a, 0.0032) and math.isclose(var_b, 0.002408)
    se_diff = math.sqrt(var_a + var_b)
    assert f"{se_diff:.3f}" == "0.075"
    gap = round((pb - pa) * 100)
    assert gap == 6 and gap < se_diff * 100
    page_shows(VLA, "分别测得 80% 和 86%，相差 6 个百分点",
               r"$0.8 \times 0.2 / 50 = 0.0032$", r"$0.86 \times 0.14 / 50 = 0.002408$",
               f"和为 ${var_a + var_b:.6f}$", f"$\\sqrt{{{var_a + var_b:.6f}}} \\approx {se_diff:.3f}$",
               f"约 {se_diff * 100:.1f} 个百分点", f"{gap} 个百分点的差距还不到一个标准误差")


def test_pi0_parameters_add_up():
    # pi0 (Black et al. 2024, sec. IV): a 3B PaliGemma backbone plus a ~300M action expert, 3.3B total
    assert 30 + 3 == 33
    page_shows(VLA, "30 亿参数的视觉语言模型 PaliGemma", "约 3 亿参数", "总共 30 亿 + 3 亿 = 33 亿参数")


def test_paper_facts_the_page_quotes():
    page_shows(VLA, "约 6,000 次", "3500 万参数", "16.5 个百分点", "26 倍", "9.1%", "18 维",
               "12 条发现", "256 档")


def test_pi0_data_mixture_is_described_part_by_part():
    # pi0 (sec. III, V-A, V-C, VII): the 7 robot configurations, 68 tasks and ~10,000 hours are
    # the authors' own dexterous data; the open-source data (OXE, with 22 robots; Bridge v2;
    # DROID) is added on top and makes up 9.1% of the weighted mixture counted in timesteps.
    page_shows(VLA, "约一万小时，来自 7 种机器人构型、68 个任务",
               "Open X-Embodiment（含 22 种机器人的数据）", "占整个混合数据的 9.1%",
               "除 9.1% 的公开数据外都是作者自己采集的")
    assert "预训练数据超过一万小时，来自 7 种机器人构型" not in page(VLA)


def test_openvla_lora_and_quantisation():
    # OpenVLA (Kim et al. 2024), Table 1: LoRA rank 32 trains 97.6M of 7,188.1M parameters
    # (full fine-tuning), success 68.2% vs 69.7%; sec. 5.3: 10-15 hours on a single A100.
    # Table 2: int4 71.9% at 7.0 GB vs bfloat16 71.3% at 16.8 GB. Footnote 4: both sections
    # use a SigLIP-only variant pretrained on a smaller robot data mixture.
    lora, full = 97.6, 7188.1
    assert f"{lora / full * 100:.1f}" == "1.4"
    int4_gb, bf16_gb = 7.0, 16.8
    assert int4_gb / bf16_gb < 0.5
    page_shows(VLA, "只训练约 1.4% 的参数", "在一张 A100 上用 10 到 15 小时", "显存却不到一半",
               "视觉编码器只有 SigLIP")


def test_vlanext_best_claim_is_the_authors():
    # VLANeXt (Wu et al. 2026, abstract): 'outperforms prior state-of-the-art methods on the
    # LIBERO and LIBERO-plus benchmarks' - a claim about the methods the paper compares with;
    # the page attributes it to the authors instead of stating a best-ever result itself.
    page_shows(VLA, "作者报告，它在 LIBERO 和 LIBERO-plus 上超过了他们所比较的此前最好方法")
    assert "超过了此前报告的最好结果" not in page(VLA)


def test_oft_gain_is_not_all_the_recipe():
    # OpenVLA (Kim et al. 2024, App. E.1 item 5, Table 12): on LIBERO all methods use only the
    # third-person camera image; fine-tuned OpenVLA averages 76.5%. OpenVLA-OFT's 97.1%
    # checkpoints are trained and evaluated with a wrist camera image and the robot's
    # proprioceptive state as well (github.com/moojink/openvla-oft at 213c5ff: LIBERO.md,
    # "--num_images_in_input 2 --use_proprio True ... 3rd_person_img--wrist_img--proprio_state",
    # and the defaults of experiments/robot/libero/run_libero_eval.py), so the page says the
    # inputs differ and does not credit the whole gain to the four recipe changes.
    before, after = 76.5, 97.1
    assert f"{after - before:.1f}" == "20.6"
    page_shows(VLA, "76.5% 的 OpenVLA 只看第三人称相机的一张图像",
               "还多看一张手腕相机的图像和机器人自身的状态",
               r"$97.1 - 76.5 = 20.6$ 个百分点，不能全部算作上面四项改动的功劳")
    # OpenVLA-OFT, Table I (authors' project page openvla-oft.github.io): with the third-person
    # image only, the same inputs as OpenVLA's 76.5%, OpenVLA-OFT averages 95.3%; the 97.1% row
    # adds the wrist image and proprioceptive state.
    same_inputs = 95.3
    assert f"{same_inputs - before:.1f}" == "18.8" and f"{after - same_inputs:.1f}" == "1.8"
    page_shows(VLA, "只看第三人称图像的 OpenVLA-OFT，平均成功率是 95.3%",
               r"$95.3 - 76.5 = 18.8$ 个百分点", r"$97.1 - 95.3 = 1.8$ 个百分点")


def test_oft_throughput_is_measured_with_one_image():
    # OpenVLA-OFT, Table II (authors' project page openvla-oft.github.io): throughput of
    # 7-dimensional actions on one A100, each query one 224 x 224 image: OpenVLA 4.2 Hz,
    # OpenVLA-OFT 109.7 Hz, the abstract's "26x". The 97.1% configuration feeds two images and
    # the robot state, so the page says under which input the speed was measured.
    base, oft = 4.2, 109.7
    assert round(oft / base) == 26
    page_shows(VLA, "从 4.2 个升到 109.7 个", r"$109.7 \div 4.2 \approx 26$，即提高到 26 倍",
               "测速时每次只输入一张图像")
    assert "升到 97.1%，生成动作的吞吐" not in page(VLA)


def test_openvla_parameters_against_rt2x():
    # OpenVLA (Kim et al. 2024, abstract): 7B parameters against RT-2-X's 55B, '7x fewer
    # parameters'. 7/55 is about 0.13, below 1/7 (about 0.14): 'less than a seventh'.
    ratio = 7 / 55
    assert f"{ratio:.2f}" == "0.13" and f"{1 / 7:.2f}" == "0.14" and ratio < 1 / 7
    page_shows(VLA, "550 亿参数的 RT-2-X", "参数却不到后者的七分之一",
               r"$7 \div 55 \approx 0.13$，而 $1 \div 7 \approx 0.14$")
    assert "参数却只有后者的七分之一" not in page(VLA)


def test_pi0_recovery_is_the_authors_intuition():
    # pi0 (Black et al. 2024, sec. V): "Intuitively, the diverse (but lower quality) pre-training
    # data allows the model to recover from mistakes ..., while the post-training data teaches the
    # model to perform the task well." The page gives this as the authors' intuition, not a finding.
    page_shows(VLA, "作者给的是直觉上的解释", "学会从失误中恢复")
    assert "预训练，学会从失误中恢复" not in page(VLA)
