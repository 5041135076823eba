"""A library built around three topics and a month of 40 suggestions, written for these tests.

The library reads sparse mixture-of-experts models (#moe), diffusion models
(#diffusion) and graph networks for molecules (#molecules); it dropped two
federated-learning papers. The month holds 10 suggestions on those topics and
30 off them, among which clusters that share words with the library without
being on its topics (dense language-model scaling, federated learning, graph
networks for weather, sparse pruning), and off-topic picks that several curators
agree on or that Hugging Face readers upvoted a lot.
"""

from __future__ import annotations

from typing import Any

from readlist.core.models import Paper
from readlist.core.suggestions import Suggestion

MONTH = "2026-10"

# (id, title, status, tags, abstract)
LIBRARY: list[tuple[str, str, str, list[str], str]] = [
    ("2601.00001", "Token Routing in Sparse Mixture-of-Experts Layers", "read", ["moe"],
     "We study how a learned router assigns each token to one of many feed-forward experts in a sparse "
     "mixture-of-experts layer. Routing a token to a single expert keeps the compute per token constant while the "
     "parameter count grows with the number of experts. We analyse load imbalance between experts and propose an "
     "auxiliary balancing loss."),
    ("2601.00002", "Expert Capacity and Token Dropping in Sparsely Gated Networks", "read", ["moe", "efficiency"],
     "Sparsely gated networks route tokens to experts with a fixed capacity; tokens beyond an expert's capacity "
     "are dropped. We measure how the capacity factor, the number of experts and gating noise affect quality and "
     "throughput, and show that a top-2 gate is a robust default."),
    ("2601.00003", "Distributed Training of Mixture-of-Experts Models with Expert Parallelism", "reading", ["moe"],
     "Placing each expert on its own accelerator turns a mixture-of-experts layer into an all-to-all "
     "communication pattern. We describe expert parallelism, combine it with data and tensor parallelism, and train "
     "a sparse model with two thousand experts whose routing overhead stays small."),
    ("2601.00004", "Stable Routers: Avoiding Collapse in Mixture-of-Experts Training", "to-read", ["moe"],
     "Router collapse, where a few experts receive almost all tokens, is a frequent failure of sparse expert "
     "models. A router z-loss and expert dropout keep the gating distribution spread out and make training stable."),
    ("2601.00005", "Fine-Tuning Sparse Expert Models on Downstream Tasks", "read", ["moe"],
     "Sparse mixture-of-experts models pretrain efficiently but are said to overfit when fine-tuned. Freezing the "
     "router, raising expert dropout and fine-tuning with smaller batches closes the gap with dense models."),
    ("2601.00006", "Hash Layers: Routing Without Learning in Sparse Experts", "read", ["moe"],
     "Instead of a learned gate, each token is sent to an expert chosen by hashing its vocabulary id. Hash routing "
     "needs no balancing loss, never collapses, and matches learned routing on language modelling."),
    ("2601.00007", "Expert Choice Routing for Balanced Sparse Models", "to-read", ["moe"],
     "Rather than tokens choosing their top experts, each expert selects the tokens it will process, which "
     "guarantees perfect load balance. Expert choice routing speeds up mixture-of-experts pretraining."),
    ("2602.00001", "Denoising Diffusion Models for High-Fidelity Image Synthesis", "read", ["diffusion"],
     "A diffusion model learns to reverse a gradual noising process: starting from Gaussian noise, a network "
     "predicts and removes the noise step by step until an image emerges. Trained with a simple denoising "
     "objective, it generates images whose sample quality rivals adversarial networks."),
    ("2602.00002", "Score Matching with Stochastic Differential Equations", "read", ["diffusion"],
     "We view image generation as reversing a stochastic differential equation that slowly turns data into "
     "noise. Estimating the score of noisy images with a neural network lets us sample with predictor-corrector "
     "solvers and compute exact likelihoods."),
    ("2602.00003", "Fewer Sampling Steps for Denoising Diffusion", "reading", ["diffusion"],
     "Sampling from a diffusion model takes hundreds of denoising steps. A deterministic sampler reuses the "
     "trained noise predictor and generates images of the same quality in twenty to fifty steps."),
    ("2602.00004", "Classifier-Free Guidance for Conditional Diffusion", "to-read", ["diffusion"],
     "Guidance trades diversity for fidelity in conditional diffusion models. Training one network with and "
     "without the class label and mixing the two noise predictions at sampling time gives guidance without a "
     "classifier."),
    ("2602.00005", "Latent Diffusion: Denoising in a Compressed Image Space", "read", ["diffusion", "efficiency"],
     "Running the diffusion process in the latent space of a pretrained autoencoder instead of pixel space cuts "
     "the cost of training and sampling. Conditioned on text, latent diffusion synthesises high-resolution images."),
    ("2602.00006", "Diffusion Models for Video Generation", "to-read", ["diffusion"],
     "We extend image diffusion models to video by denoising stacks of frames with a space-time network, "
     "generating short clips with temporally consistent motion."),
    ("2603.00001", "Message Passing Neural Networks for Molecular Property Prediction", "read", ["molecules"],
     "Molecules are graphs of atoms joined by bonds. A message passing neural network updates each atom's "
     "representation from its neighbours and pools them to predict quantum chemical properties of small organic "
     "molecules."),
    ("2603.00002", "Equivariant Graph Networks for 3D Molecular Structures", "read", ["molecules"],
     "Atomic coordinates change under rotation, but molecular energies do not. An equivariant graph neural "
     "network passes messages that depend on interatomic distances and predicts forces and energies of molecules."),
    ("2603.00003", "Graph Generative Models for Drug Design", "reading", ["molecules"],
     "We generate candidate drug molecules atom by atom with an autoregressive graph generative model and steer "
     "generation toward high binding affinity and synthesizability."),
    ("2603.00004", "Pretraining Graph Neural Networks on Unlabelled Molecules", "to-read", ["molecules"],
     "Self-supervised pretraining of graph neural networks on unlabelled molecular graphs, by masking atom types "
     "and predicting graph context, improves property prediction when labelled molecules are scarce."),
    ("2603.00005", "Learning Interatomic Potentials with Graph Networks", "read", ["molecules"],
     "Graph neural network potentials trained on quantum chemistry calculations predict atomic forces fast enough "
     "to run molecular dynamics of materials and molecules."),
    ("2603.00006", "Junction Tree Autoencoders for Molecular Graphs", "read", ["molecules"],
     "Decoding molecules as trees of chemical substructures keeps every generated molecular graph valid; an "
     "autoencoder over junction trees optimises molecular properties in its latent space."),
    ("2604.00001", "Federated Averaging Across Mobile Devices", "dropped", ["federated"],
     "Federated learning trains a shared model on data that stays on mobile devices; clients compute local "
     "updates and a server averages them. We study communication rounds and client sampling."),
    ("2604.00002", "Differential Privacy for Federated Learning Clients", "dropped", ["federated"],
     "Clipping client updates and adding Gaussian noise gives user-level differential privacy in federated "
     "learning at a modest cost in accuracy."),
    ("2605.00001", "Attention as a Kernel Smoother", "to-read", [],
     "Self-attention can be read as a kernel smoother over the positions of a sequence; this view explains why "
     "attention weights need normalising."),
]  # fmt: skip

TOPIC_TAGS = {"moe", "diffusion", "molecules"}

# (key, title, topic or cluster, abstract); on-topic ones have topic "moe", "diffusion" or "molecules".
SUGGESTIONS: list[tuple[str, str, str, str]] = [
    ("2610.10001", "Mixture-of-Experts Language Models with Shared Experts", "moe",
     "We add always-active shared experts beside fine-grained routed experts in a sparse mixture-of-experts "
     "transformer; the router then specialises the routed experts and the model matches a dense one at a third "
     "of the compute."),
    ("2610.10002", "Load Balancing Without Auxiliary Losses in Sparse Expert Models", "moe",
     "A per-expert bias added to the routing scores, updated from each expert's recent load, balances tokens "
     "across experts without an auxiliary loss that would interfere with the language modelling objective."),
    ("2610.10003", "Upcycling Dense Checkpoints into Sparse Mixtures of Experts", "moe",
     "We initialise a mixture-of-experts model by copying the feed-forward layer of a trained dense checkpoint "
     "into every expert, then continue training with a learned router."),
    ("2610.10004", "Routing Image Patches to Experts in Vision Models", "moe",
     "Image patches, like text tokens, can be routed to sparse experts. A vision model with mixture-of-experts "
     "layers matches dense vision models with half the inference compute."),
    ("2610.10005", "Consistency Models: One-Step Generation from Diffusion", "diffusion",
     "Distilling a diffusion model into a network that maps any point on a noising trajectory directly to its "
     "clean image enables one-step generation; more steps trade compute for sample quality."),
    ("2610.10006", "Diffusion Backbones Beyond the U-Net", "diffusion",
     "Swapping the convolutional U-Net of a latent diffusion model for a transformer over latent patches gives a "
     "diffusion backbone that scales with compute and improves image sample quality."),
    ("2610.10007", "Text-to-Image Diffusion with Cascaded Super-Resolution", "diffusion",
     "A frozen language model encodes the prompt, a base diffusion model generates a small image and two "
     "super-resolution diffusion models upsample it into a photorealistic image."),
    ("2610.10008", "Equivariant Diffusion for 3D Molecule Generation", "molecules",
     "An equivariant model generates molecules in three dimensions by denoising atom coordinates and atom types "
     "jointly, producing valid and stable molecular structures."),
    ("2610.10009", "Graph Neural Networks Predict Reaction Outcomes", "molecules",
     "Treating reactant molecules as graphs, a graph neural network scores which bonds change and predicts the "
     "products of organic chemical reactions."),
    ("2610.10010", "Message Passing for Protein-Ligand Binding Affinity", "molecules",
     "We model a protein pocket and a drug molecule as one graph of atoms and predict binding affinity with "
     "equivariant message passing over interatomic distances."),
    ("2610.20001", "Scaling Laws for Dense Transformer Language Models", "scaling",
     "Language model loss falls as a power law in parameters, data and compute. We fit scaling laws for dense "
     "transformers from ten million to ten billion parameters and derive the compute-optimal model size."),
    ("2610.20002", "Training Compute-Optimal Large Language Models", "scaling",
     "For a fixed compute budget, model size and the number of training tokens should grow in equal proportion. "
     "A smaller dense model trained on more tokens outperforms much larger language models."),
    ("2610.20003", "Predictable Scaling of Transformer Pretraining Loss", "scaling",
     "Small proxy runs predict the final pretraining loss of a large dense transformer language model, letting "
     "practitioners choose hyperparameters before spending the full compute budget."),
    ("2610.20004", "Data Repetition in Language Model Pretraining", "scaling",
     "When unique text runs out, language models can be trained on repeated tokens for several epochs; we "
     "measure how returns diminish as data is repeated during large-scale transformer pretraining."),
    ("2610.20005", "Width Versus Depth in Large Transformer Language Models", "scaling",
     "At equal parameter count, deeper transformer language models train better than wider ones up to a point; "
     "we map the trade-off across compute scales and token budgets."),
    ("2610.20006", "Personalised Federated Learning with Client Clusters", "federated",
     "Clients in federated learning hold different data distributions; clustering clients and training one model "
     "per cluster improves accuracy on every device while keeping data local."),
    ("2610.20007", "Secure Aggregation for Federated Training", "federated",
     "A cryptographic protocol lets the server sum client model updates in federated learning without seeing "
     "any individual update, tolerating clients that drop out."),
    ("2610.20008", "Communication-Efficient Federated Learning with Compressed Updates", "federated",
     "Quantising and sparsifying client updates reduces the communication of federated learning by two orders "
     "of magnitude with little loss in accuracy."),
    ("2610.20009", "Self-Supervised Speech Representations from Raw Audio", "speech",
     "Masking spans of latent speech features and solving a contrastive task over quantised targets learns "
     "representations of raw audio that enable speech recognition with little labelled data."),
    ("2610.20010", "Convolution and Attention Together for Speech Recognition", "speech",
     "Combining convolution modules with self-attention in each encoder block captures local and global "
     "structure of audio and lowers word error rates in automatic speech recognition."),
    ("2610.20011", "Robust Multilingual Speech Transcription from Weak Supervision", "speech",
     "Training a sequence-to-sequence model on weakly labelled audio gives speech transcription that is robust "
     "across languages, accents and background noise."),
    ("2610.20012", "Offline Reinforcement Learning with Conservative Value Estimates", "rl",
     "Learning a policy from a fixed dataset suffers from overestimated values of unseen actions; penalising the "
     "Q-function on such actions gives conservative estimates and strong offline reinforcement learning."),
    ("2610.20013", "Reinforcement Learning as Sequence Modelling", "rl",
     "Casting reinforcement learning as conditional sequence modelling, a causal transformer outputs actions "
     "conditioned on desired return, past states and actions."),
    ("2610.20014", "Learning Dexterous Robot Manipulation in Simulation", "rl",
     "A policy trained with domain randomisation in simulation transfers to a physical robot hand that rotates a "
     "cube, without real-world training data."),
    ("2610.20015", "World Models for Sample-Efficient Control", "rl",
     "An agent learns a latent dynamics model of its environment from pixels and trains its behaviour by "
     "imagining trajectories in the learned world model."),
    ("2610.20016", "Masked Image Modelling for Visual Pretraining", "vision",
     "Masking most patches of an image and reconstructing the missing pixels with an asymmetric encoder-decoder "
     "is a simple, efficient self-supervised pretraining task for vision models."),
    ("2610.20017", "Segment Any Object with Promptable Masks", "vision",
     "A promptable segmentation model trained on a billion masks produces object masks from points or boxes and "
     "transfers zero-shot to new image distributions."),
    ("2610.20018", "Real-Time Object Detection with a Single Network", "vision",
     "A single convolutional network predicts bounding boxes and class probabilities for an entire image in one "
     "pass, detecting objects in real time."),
    ("2610.20019", "Contrastive Language-Image Pretraining at Scale", "vision",
     "An image encoder and a text encoder trained contrastively on image-caption pairs learn visual concepts from "
     "natural language supervision and enable zero-shot classification."),
    ("2610.20020", "Step-by-Step Prompting Improves Arithmetic Reasoning", "nlp",
     "Asking a large language model to write intermediate reasoning steps before the answer improves accuracy on "
     "arithmetic and commonsense reasoning benchmarks."),
    ("2610.20021", "Retrieval-Augmented Generation for Open-Domain Question Answering", "nlp",
     "A generator conditioned on passages retrieved from a large text index answers open-domain questions more "
     "accurately and can be updated by changing the index."),
    ("2610.20022", "Human Feedback for Instruction Following", "nlp",
     "Fine-tuning a language model with a reward model trained on human preference comparisons makes it follow "
     "instructions better than a much larger base model."),
    ("2610.20023", "Low-Rank Adaptation of Large Language Models", "nlp",
     "Freezing pretrained weights and training small low-rank update matrices fine-tunes large language models "
     "with far fewer trainable parameters."),
    ("2610.20024", "Adam with Decoupled Weight Decay", "theory",
     "Weight decay and L2 regularisation are not equivalent for adaptive gradient methods; decoupling the decay "
     "from the gradient update improves generalisation."),
    ("2610.20025", "Winning Tickets in Sparse Subnetworks", "theory",
     "Dense networks contain sparse subnetworks that train to full accuracy from their original initialisation; "
     "iterative magnitude pruning finds such winning tickets."),
    ("2610.20026", "Generalisation Long After Overfitting", "theory",
     "On small algorithmic datasets, networks suddenly generalise long after they have memorised the training "
     "set; weight decay speeds up this transition."),
    ("2610.20027", "Neural Weather Forecasting at Global Scale", "weather",
     "A graph neural network trained on decades of reanalysis data forecasts global weather ten days ahead more "
     "accurately than operational numerical systems."),
    ("2610.20028", "Protein Structure Prediction with Attention over Residues", "biology",
     "Attention over multiple sequence alignments and residue pairs predicts protein structures with atomic "
     "accuracy."),
    ("2610.20029", "Fairness Constraints in Classification", "fairness",
     "We formalise demographic parity and equalised odds and train classifiers under these fairness constraints "
     "with a reduction to cost-sensitive learning."),
    ("2610.20030", "Deep Learning Recommendation Models for Personalisation", "recsys",
     "Embedding tables for sparse categorical features and an interaction layer predict click-through rates in "
     "large-scale recommendation systems."),
]  # fmt: skip

# The curator's order for the month: on-topic picks mostly far down the list.
CURATOR_ORDER = [
    "2610.20002", "2610.20019", "2610.20001", "2610.20022", "2610.20017", "2610.20020", "2610.10006",
    "2610.20009", "2610.20012", "2610.20023", "2610.20003", "2610.10001", "2610.20006", "2610.20027",
    "2610.10008", "2610.20016", "2610.20013", "2610.20004", "2610.10003", "2610.20021", "2610.20010",
    "2610.10005", "2610.20024", "2610.20028", "2610.20014", "2610.10009", "2610.20005", "2610.20007",
    "2610.20025", "2610.10002", "2610.20015", "2610.20018", "2610.20026", "2610.10010", "2610.20008",
    "2610.20011", "2610.10007", "2610.20029", "2610.10004", "2610.20030",
]  # fmt: skip
SECOND_CURATOR = {"2610.20002", "2610.20019", "2610.20022", "2610.10003"}
"""Picked by ML Papers of the Week too (curator agreement)."""
UPVOTES = {"2610.20002": 930, "2610.20019": 640, "2610.20020": 410, "2610.10001": 312, "2610.20022": 120}
"""Also Hugging Face daily papers picks, with their upvotes (written in the blurb, as the source writes it)."""

TOPIC = {key: topic for key, _, topic, _ in SUGGESTIONS}


def on_topic(key: str) -> bool:
    return TOPIC[key] in TOPIC_TAGS


def paper_records() -> dict[str, dict[str, Any]]:
    papers = {}
    for paper_id, title, status, tags, abstract in LIBRARY:
        paper = Paper(id=paper_id, title=title, abstract=abstract, tags=list(tags), authors=["A. Writer"])
        paper.status = status
        papers[paper_id] = paper.to_dict()
    return papers


def suggestion_records() -> list[dict[str, Any]]:
    """The month's suggestions in the curator's order, resolved (metadata with the abstract)."""
    by_key = {key: (title, abstract) for key, title, _, abstract in SUGGESTIONS}
    records = []
    for rank, key in enumerate(CURATOR_ORDER, 1):
        title, abstract = by_key[key]
        s = Suggestion(key=key, title=title, arxiv_id=key, authors=["B. Author"], blurb=f"Pick {rank} of the month.")
        s.picks.append({"source": "zeta-alpha", "month": MONTH, "rank": rank, "blurb": s.blurb, "url": None})
        if key in SECOND_CURATOR:
            s.picks.append({"source": "potw", "month": MONTH, "rank": 3, "blurb": "", "url": None})
        if key in UPVOTES:
            blurb = f"{UPVOTES[key]} upvotes on Hugging Face daily papers ({MONTH}-14)."
            s.picks.append({"source": "hf-daily", "month": MONTH, "rank": 1, "blurb": blurb, "url": None})
        s.metadata = {"title": title, "abstract": abstract, "authors": ["B. Author"]}
        records.append(s.to_dict())
    return records
