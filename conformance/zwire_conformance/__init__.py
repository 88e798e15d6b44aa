"""zwire_conformance: the language-agnostic ZMTP conformance suite (see conformance/README.md).

The suite plays the raw peer with the independent codec of conformance/zwire_codec and
drives the implementation under test through its adapter (conformance/ADAPTER.md).
"""
