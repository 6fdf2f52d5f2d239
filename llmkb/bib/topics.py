"""The topic registry: the one place that names every topic of the book.

A topic id is what a refs.bib entry lists in its ``keywords`` field and what a
``paper-table`` selects by. Each topic knows its Chinese and English name, the
page that teaches it, the part of the book it belongs to, and the tags that
split its papers into sub-tables (the seeds' "话题" groups).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Part:
    id: str
    zh: str
    en: str


@dataclass(frozen=True)
class Topic:
    id: str
    zh: str
    en: str
    part: str
    page: str  # docname of the page that teaches this topic
    tags: dict[str, str] = field(default_factory=dict)  # tag id -> Chinese label

    @property
    def title(self) -> str:
        """Both names, as the paper index heads the topic and its filter lists it."""
        return f"{self.zh}（{self.en}）"


PARTS: tuple[Part, ...] = (
    Part("foundations", "基础", "Foundations"),
    Part("multimodal", "多模态大模型", "Multimodal LLMs"),
    Part("efficiency", "高效优化与扩展", "Efficiency and Scaling"),
    Part("knowledge", "知识处理", "Knowledge"),
    Part("text", "文本处理与对齐", "Text Processing and Alignment"),
)

TOPICS: tuple[Topic, ...] = (
    Topic("scaling-laws", "规模定律", "Scaling Laws", "foundations",
          "foundations/scaling-laws"),
    Topic("pretraining-data", "预训练数据", "Pre-training Data", "foundations",
          "foundations/pretraining-data"),
    Topic("optimization", "优化器与训练稳定性", "Optimizers and Training Stability", "foundations",
          "foundations/optimization"),
    Topic("synthetic-data", "合成数据", "Synthetic Data for LLM Training", "foundations",
          "foundations/synthetic-data"),
    Topic("transformer", "Transformer 架构概览", "Transformer Overview", "foundations",
          "foundations/transformer"),
    Topic("tokenization", "分词", "Tokenization", "foundations",
          "foundations/tokenization"),
    Topic("encoder-only", "Encoder-only 架构", "Encoder-only Models", "foundations",
          "foundations/encoder-only"),
    Topic("encoder-decoder", "Encoder-Decoder 架构", "Encoder-Decoder Models", "foundations",
          "foundations/encoder-decoder"),
    Topic("decoder-only", "Decoder-only 架构", "Decoder-only Models", "foundations",
          "foundations/decoder-only"),
    Topic("decoding", "解码与采样", "Decoding and Sampling", "foundations",
          "foundations/decoding"),
    Topic("non-transformer", "非 Transformer 架构", "Beyond Transformers", "foundations",
          "foundations/non-transformer"),
    Topic("diffusion-lm", "扩散语言模型", "Diffusion Language Models", "foundations",
          "foundations/diffusion-lm"),
    Topic("milestones", "里程碑论文", "Landmark Papers 2017-2026", "foundations",
          "foundations/milestones", {
              "foundation": "奠基理论",
              "breakthrough": "里程碑突破",
              "core-method": "核心架构与方法",
              "improvement": "重要优化与应用",
              "frontier": "前沿探索与新趋势",
          }),
    Topic("evaluation", "评测与基准", "Evaluation and Benchmarks", "foundations",
          "foundations/evaluation"),
    Topic("llm-judge", "大模型评审", "LLM-as-a-Judge", "foundations",
          "foundations/llm-judge"),
    Topic("icl-mechanisms", "上下文学习的机制", "Mechanisms of In-Context Learning", "foundations",
          "foundations/icl-mechanisms", {
              "behavior": "示例起什么作用：行为实验",
              "theory": "解释与理论：贝叶斯推断、梯度下降与训练数据",
              "mechanism": "网络内部：注意力头与函数向量",
          }),
    Topic("mllm-intro", "多模态大模型介绍", "Introduction to MLLMs", "multimodal",
          "multimodal/introduction"),
    Topic("vision-encoders", "视觉编码器", "Vision Encoders", "multimodal",
          "multimodal/vision-encoders"),
    Topic("image-generation", "视觉生成", "Image Generation", "multimodal",
          "multimodal/generation"),
    Topic("unified-multimodal", "统一多模态理解与生成", "Unified Multimodal Understanding and Generation",
          "multimodal", "multimodal/unified"),
    Topic("image-editing", "图像编辑与可控生成", "Image Editing and Controllable Generation", "multimodal",
          "multimodal/image-editing", {
              "method": "编辑与控制方法",
              "benchmark": "数据与评测",
          }),
    Topic("visual-tokenizers", "视觉分词器", "Visual Tokenizers", "multimodal",
          "multimodal/visual-tokenizers", {
              "quantization": "离散量化方法",
              "compact": "更紧凑、更好生成的表示",
              "unified": "面向统一模型的分词器",
          }),
    Topic("video-generation", "视频生成", "Video Generation", "multimodal",
          "multimodal/video-generation", {
              "method": "代表模型",
              "benchmark": "评测",
          }),
    Topic("mllm-hallucination", "多模态幻觉", "Multimodal Hallucination", "multimodal",
          "multimodal/hallucination", {
              "survey": "综述",
              "evaluation": "幻觉评估",
              "mitigation": "幻觉缓解",
          }),
    Topic("multimodal-alignment", "多模态偏好对齐", "Multimodal Preference Alignment", "multimodal",
          "multimodal/multimodal-alignment", {
              "data": "偏好数据从哪里来",
              "method": "训练目标",
          }),
    Topic("multimodal-evaluation", "多模态大模型评测", "Evaluating Multimodal LLMs", "multimodal",
          "multimodal/multimodal-evaluation", {
              "benchmark": "评测基准",
              "reliability": "评测的可靠性",
          }),
    Topic("hateful-memes", "多模态仇恨言论检测", "Hateful Meme Detection", "multimodal",
          "multimodal/hateful-memes"),
    Topic("speech", "语音与音频大模型", "Speech and Audio LLMs", "multimodal",
          "multimodal/speech"),
    Topic("audio-generation", "语音合成与音频生成", "Speech Synthesis and Audio Generation", "multimodal",
          "multimodal/audio-generation", {
              "method": "代表模型",
              "evaluation": "评测与检测",
          }),
    Topic("video", "视频理解大模型", "Video LLMs", "multimodal",
          "multimodal/video", {
              "method": "代表模型",
              "benchmark": "评测基准",
          }),
    Topic("spatial-reasoning", "空间智能：多模态模型的空间推理", "Spatial Reasoning in Multimodal Models",
          "multimodal", "multimodal/spatial", {
              "evidence": "失败的证据",
              "method": "代表方法",
              "benchmark": "评测基准",
          }),
    Topic("vla", "视觉-语言-动作模型", "Vision-Language-Action Models", "multimodal",
          "multimodal/vla"),
    Topic("gui-agents", "图形界面智能体", "GUI Agents", "multimodal",
          "multimodal/gui-agents"),
    Topic("world-models", "世界模型", "World Models", "multimodal",
          "multimodal/world-models"),
    Topic("time-series", "时间序列基础模型", "Time-Series Foundation Models", "multimodal",
          "multimodal/time-series", {
              "model": "预训练的预测模型",
              "llm": "借用语言模型与反证",
          }),
    Topic("generation-3d", "三维生成", "3D Generation", "multimodal",
          "multimodal/3d-generation", {
              "representation": "三维表示与渲染",
              "optimization": "借二维扩散逐个优化",
              "feedforward": "前馈重建与原生三维生成",
          }),
    Topic("document-understanding", "文档理解", "Document Understanding", "multimodal",
          "multimodal/document-understanding"),
    Topic("multimodal-retrieval", "多模态检索与多模态 RAG", "Multimodal Retrieval and Multimodal RAG",
          "multimodal", "multimodal/multimodal-retrieval", {
              "method": "检索模型与方法",
              "benchmark": "通用检索与评测基准",
          }),
    Topic("multimodal-reasoning", "多模态推理", "Multimodal Reasoning", "multimodal",
          "multimodal/multimodal-reasoning"),
    Topic("generated-image-detection", "生成图像检测", "Detecting AI-Generated Images", "multimodal",
          "multimodal/generated-image-detection", {
              "method": "检测方法",
              "benchmark": "基准与评测",
              "provenance": "水印与来源标注",
          }),
    Topic("visual-grounding", "视觉定位与指代理解", "Visual Grounding and Referring Expressions", "multimodal",
          "multimodal/visual-grounding", {
              "specialist": "专用定位模型",
              "mllm": "多模态大模型怎样写出位置",
              "rl": "用强化学习训练定位",
          }),
    Topic("peft", "参数高效微调", "Parameter-Efficient Fine-Tuning", "efficiency",
          "efficiency/peft", {
              "survey": "综述",
              "method": "代表方法",
              "lora-composition": "复用和组合 LoRA 模块",
          }),
    Topic("memory-efficient-training", "显存高效训练", "Memory-Efficient Training", "efficiency",
          "efficiency/memory-efficient-training"),
    Topic("low-precision-training", "数值格式与低精度训练", "Number Formats and Low-Precision Training",
          "efficiency", "efficiency/low-precision-training", {
              "format": "数值格式与缩放",
              "fp8": "FP8 训练",
              "fp4": "4 比特训练",
          }),
    Topic("distributed-training", "分布式训练与并行", "Distributed Training and Parallelism",
          "efficiency", "efficiency/distributed-training", {
              "parallelism": "并行方法",
              "practice": "大规模训练实践",
          }),
    Topic("efficient-inference", "推理高效", "Efficient Inference", "efficiency",
          "efficiency/efficient-inference", {
              "survey": "综述",
              "hypernetwork": "用超网络生成 PEFT 模块",
              "sparsity": "从稀疏性看推理加速",
              "quantization": "量化",
              "architecture": "高效模型结构",
              "system": "解码与服务系统",
          }),
    Topic("quantization", "量化", "Quantization", "efficiency",
          "efficiency/quantization"),
    Topic("serving", "推理服务系统", "LLM Serving Systems", "efficiency",
          "efficiency/serving"),
    Topic("kv-cache", "KV 缓存压缩", "KV Cache Compression", "efficiency",
          "efficiency/kv-cache", {
              "method": "代表方法",
              "benchmark": "评测",
          }),
    Topic("moe", "混合专家", "Mixture of Experts", "efficiency",
          "efficiency/moe"),
    Topic("model-merging", "模型合并", "Model Merging", "efficiency",
          "efficiency/model-merging"),
    Topic("small-lms", "小语言模型", "Small Language Models", "efficiency",
          "efficiency/small-lms"),
    Topic("routing", "模型路由与级联", "Model Routing and Cascades", "efficiency",
          "efficiency/routing", {
              "method": "代表方法",
              "benchmark": "基准与评测",
          }),
    Topic("pruning", "剪枝与稀疏化", "Pruning and Sparsity", "efficiency",
          "efficiency/pruning"),
    Topic("flash-attention", "FlashAttention 与 IO 感知的注意力", "FlashAttention and IO-Aware Attention", "efficiency",
          "efficiency/flash-attention", {
              "kernel": "精确注意力算子",
              "inference": "推理与低精度注意力",
          }),
    Topic("speculative-decoding", "推测解码", "Speculative Decoding", "efficiency",
          "efficiency/speculative-decoding", {
              "verification": "基本算法与验证规则",
              "drafter": "草稿从哪里来",
          }),
    Topic("knowledge-reasoning", "知识推理", "Knowledge Reasoning", "knowledge",
          "knowledge/reasoning"),
    Topic("reasoning-rl", "推理模型与强化学习", "Reasoning Models and Reinforcement Learning",
          "knowledge", "knowledge/reasoning-rl"),
    Topic("theorem-proving", "形式化数学与定理证明", "Formal Theorem Proving", "knowledge",
          "knowledge/theorem-proving"),
    Topic("math-reasoning", "数学推理：数据、工具与答案判定",
          "Mathematical Reasoning: Data, Tools and Answer Checking", "knowledge",
          "knowledge/math-reasoning", {
              "benchmark": "基准、污染与饱和",
              "method": "数学语料、程序与工具",
              "verification": "验证器与答案判定",
          }),
    Topic("knowledge-editing", "知识编辑", "Knowledge Editing", "knowledge",
          "knowledge/editing"),
    Topic("knowledge-distillation", "知识蒸馏", "Knowledge Distillation", "knowledge",
          "knowledge/distillation"),
    Topic("interpretability", "可解释性", "Interpretability", "knowledge",
          "knowledge/interpretability"),
    Topic("llm-hallucination", "大模型幻觉", "LLM Hallucination", "knowledge",
          "knowledge/hallucination", {
              "hallucination-analysis": "幻觉分析",
              "commonsense": "常识理解",
              "instruction-tuning": "指令微调分析",
          }),
    Topic("rag", "检索增强生成", "Retrieval-Augmented Generation", "knowledge",
          "knowledge/rag"),
    Topic("text-embeddings", "文本嵌入模型", "Text Embedding Models", "knowledge",
          "knowledge/text-embeddings", {
              "foundation": "句向量与对比学习",
              "llm": "大模型底座的嵌入模型",
              "benchmark": "评测基准",
          }),
    Topic("vector-search", "向量检索与近似最近邻", "Vector Search and Approximate Nearest Neighbors",
          "knowledge", "knowledge/vector-search", {
              "method": "索引与量化方法",
              "system": "系统与库",
              "benchmark": "评测基准",
          }),
    Topic("agents", "智能体与工具使用", "LLM Agents and Tool Use", "knowledge",
          "knowledge/agents"),
    Topic("deep-research", "深度研究与搜索智能体", "Deep Research Agents", "knowledge",
          "knowledge/deep-research", {
              "method": "方法与系统",
              "benchmark": "评测与分析",
          }),
    Topic("factuality", "长文本事实性评测", "Long-Form Factuality Evaluation", "knowledge",
          "knowledge/factuality", {
              "long-form": "长文本事实性",
              "short-form": "短问答事实性",
          }),
    Topic("uncertainty", "不确定性估计与共形预测", "Uncertainty Estimation and Conformal Prediction", "knowledge",
          "knowledge/uncertainty", {
              "confidence": "置信度从哪里来",
              "conformal": "共形预测与统计保证",
          }),
    Topic("multi-agent", "多智能体系统", "LLM-Based Multi-Agent Systems", "knowledge",
          "knowledge/multi-agent"),
    Topic("continual-learning", "持续学习与灾难性遗忘",
          "Continual Learning and Catastrophic Forgetting", "knowledge", "knowledge/continual-learning"),
    Topic("agent-memory", "智能体记忆", "Agent Memory", "knowledge",
          "knowledge/agent-memory"),
    Topic("agent-security", "提示注入与智能体安全", "Prompt Injection and Agent Security", "knowledge",
          "knowledge/agent-security", {
              "attack": "攻击",
              "benchmark": "评测基准",
              "defense": "防御",
          }),
    Topic("test-time-scaling", "测试时计算扩展", "Test-Time Scaling", "knowledge",
          "knowledge/test-time-scaling"),
    Topic("efficient-reasoning", "过度思考与推理长度控制", "Efficient Reasoning: Overthinking and Length Control",
          "knowledge", "knowledge/efficient-reasoning"),
    Topic("latent-reasoning", "隐式推理与连续思维", "Latent Reasoning and Continuous Thought", "knowledge",
          "knowledge/latent-reasoning", {
              "extra-compute": "不写内容的额外计算",
              "latent": "把推理搬进隐藏状态",
              "analysis": "检验与局限",
          }),
    Topic("cot-faithfulness", "思维链的忠实性与可监控性", "Chain-of-Thought Faithfulness and Monitorability",
          "knowledge", "knowledge/cot-faithfulness", {
              "evidence": "忠实性的检验",
              "monitoring": "思维链监控与可监控性",
          }),
    Topic("scientific-discovery", "科研智能体与自动发现", "AI for Scientific Discovery", "knowledge",
          "knowledge/scientific-discovery", {
              "method": "搜索与科研系统",
              "benchmark": "评测与实证研究",
          }),
    Topic("knowledge-graphs", "知识图谱与大模型", "Knowledge Graphs and LLMs", "knowledge",
          "knowledge/knowledge-graphs"),
    Topic("self-improvement", "自我改进与自我博弈", "Self-Improvement and Self-Play", "knowledge",
          "knowledge/self-improvement", {
              "self-training": "以人工数据为锚的自我训练",
              "self-reward": "自我奖励",
              "self-play": "自我博弈",
              "analysis": "局限与分析",
          }),
    Topic("planning", "大模型与规划", "LLMs and Planning", "knowledge",
          "knowledge/planning", {
              "evaluation": "能力评测",
              "method": "方法与框架",
          }),
    Topic("steering", "激活引导与表示工程", "Activation Steering and Representation Engineering",
          "knowledge", "knowledge/steering", {
              "method": "引导向量与推理时干预",
              "direction": "拒绝方向与人设向量",
              "evaluation": "评测、可靠性与代价",
          }),
    Topic("table-processing", "表格处理", "Table Processing", "text",
          "text/tables", {"agent": "面向表格智能的 Agent 技术"}),
    Topic("long-context", "长文本处理", "Long-Context Modeling", "text",
          "text/long-context"),
    Topic("instruction-tuning", "指令微调与提示", "Instruction Tuning and Prompting", "text",
          "text/instruction-tuning"),
    Topic("prompting", "提示与上下文学习", "Prompting and In-Context Learning", "text",
          "text/prompting"),
    Topic("alignment", "人类偏好对齐", "Alignment with Human Preferences", "text",
          "text/alignment"),
    Topic("reward-models", "奖励模型", "Reward Models", "text",
          "text/reward-models"),
    Topic("safety", "安全、越狱与红队", "Safety, Jailbreaks and Red Teaming", "text",
          "text/safety"),
    Topic("watermarking", "文本水印", "Text Watermarking", "text",
          "text/watermarking"),
    Topic("machine-text-detection", "机器生成文本检测", "Detecting Machine-Generated Text", "text",
          "text/machine-text-detection"),
    Topic("privacy-unlearning", "记忆化、隐私与机器遗忘",
          "Memorization, Privacy and Machine Unlearning", "text", "text/privacy-unlearning"),
    Topic("code", "代码大模型", "Large Language Models for Code", "text",
          "text/code"),
    Topic("multilingual", "多语言大模型", "Multilingual LLMs", "text",
          "text/multilingual"),
    Topic("domain-llms", "领域大模型：医学、金融与法律",
          "Domain-Specific LLMs: Medicine, Finance and Law", "text",
          "text/domain-llms"),
    Topic("bias-fairness", "偏见与公平", "Bias and Fairness in LLMs", "text",
          "text/bias-fairness"),
    Topic("scalable-oversight", "可扩展监督与弱到强泛化",
          "Scalable Oversight and Weak-to-Strong Generalization", "text",
          "text/scalable-oversight"),
    Topic("sycophancy", "谄媚与奖励欺骗",
          "Sycophancy and Reward Hacking", "text",
          "text/sycophancy"),
    Topic("strategic-deception", "对齐伪装与策略性欺骗",
          "Alignment Faking and Strategic Deception", "text",
          "text/strategic-deception", {"evidence": "实验证据：后门、对齐伪装、谋划与示弱",
                                       "framing": "定义、评测感知与应对"}),
    Topic("role-play", "角色扮演与人设", "Role-Playing and Persona", "text",
          "text/role-play", {"method": "人设对话与角色训练", "evaluation": "评测与一致性"}),
    Topic("backdoors", "后门与数据投毒", "Backdoors and Data Poisoning", "text",
          "text/backdoors", {"attack": "投毒攻击与后门的持久性", "defense": "检测与清除"}),
    Topic("information-extraction", "信息抽取", "Information Extraction", "text",
          "text/information-extraction",
          {"generative": "生成式与指令微调的抽取方法", "evaluation": "评测与监督模型的比较"}),
    Topic("recommendation", "大模型与推荐系统", "LLMs and Recommender Systems", "text",
          "text/recommendation", {"sequential": "序列推荐与大模型推荐器",
                                  "generative": "语义 ID 与生成式推荐",
                                  "evaluation": "评测与偏差"}),
    Topic("summarization", "文本摘要与忠实性", "Text Summarization and Faithfulness", "text",
          "text/summarization", {"evaluation": "评测指标与忠实性检测", "llm": "大模型时代的摘要"}),
    Topic("machine-translation", "机器翻译", "Machine Translation", "text",
          "text/machine-translation", {"evaluation": "译文质量的评测", "llm": "大模型与翻译"}),
    Topic("data-selection", "微调数据的选择", "Data Selection for Fine-Tuning", "text",
          "text/data-selection", {
              "small": "少量精选数据",
              "method": "自动筛选方法",
              "analysis": "综述与大规模再检验",
          }),
    Topic("dialogue", "多轮对话", "Multi-Turn Dialogue", "text",
          "text/dialogue", {"evaluation": "多轮评测与对话中的迷失", "training": "澄清与多轮训练"}),
    Topic("creative-writing", "创意写作与长文本生成", "Creative Writing and Long-Form Generation", "text",
          "text/creative-writing", {"long": "长文本的规划与生成", "evaluation": "创意的评测与多样性"}),
    Topic("persuasion", "大模型的说服力", "Persuasiveness of LLMs", "text",
          "text/persuasion", {"experiments": "受试者实验：辩论、对话与政治议题",
                              "measurement": "风险基准与逐轮测量"}),
    Topic("social-simulation", "大模型模拟人与社会", "Simulating People and Societies with LLMs", "text",
          "text/social-simulation", {"simulation": "模拟受访者、受试者与个人",
                                     "evaluation": "评测、批评与再检验"}),
)

TOPICS_BY_ID: dict[str, Topic] = {t.id: t for t in TOPICS}
PARTS_BY_ID: dict[str, Part] = {p.id: p for p in PARTS}


def topic(topic_id: str) -> Topic:
    """The topic with this id; KeyError names the known ids."""
    try:
        return TOPICS_BY_ID[topic_id]
    except KeyError:
        known = ", ".join(sorted(TOPICS_BY_ID))
        raise KeyError(f"unknown topic {topic_id!r}; known topics: {known}") from None
