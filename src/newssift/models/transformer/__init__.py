"""Fine-tuned transformer models (default base: all-MiniLM-L6-v2) for both newssift tasks.

- :mod:`.topic` -- :class:`TransformerTopicClassifier`, a sequence classifier over the editorial text;
- :mod:`.tagger` -- the hierarchical line tagger network (line encoder, line features, article context, head);
- :mod:`.boilerplate` -- :class:`TransformerBoilerplateClassifier`, which trains and runs the tagger;
- :mod:`.base` -- what both share: base-model and device resolution, the Trainer set-up, int8 inference, model
  folders.
"""
from newssift.models.transformer.base import (
    FAMILY,
    MINILM_NAME,
    quantize_int8,
    resolve_base_model,
    resolve_device,
)
from newssift.models.transformer.boilerplate import (
    BOILERPLATE_LABELS,
    SMOOTHING_GRID,
    TransformerBoilerplateClassifier,
)
from newssift.models.transformer.topic import TransformerTopicClassifier

__all__ = ["BOILERPLATE_LABELS", "FAMILY", "MINILM_NAME", "SMOOTHING_GRID", "TransformerBoilerplateClassifier",
           "TransformerTopicClassifier", "quantize_int8", "resolve_base_model", "resolve_device"]
