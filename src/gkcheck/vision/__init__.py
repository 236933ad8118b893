"""Vision layer of gkcheck: safe image decoding and LOGO detection.

This package stands alone: it never imports gkcheck checks, parsers, writers or
the engine, so it can be used (and tested) on its own.

Modules:
    imageio  -- safe, size-limited, reduced-resolution image decoding.
    logo     -- template-based LOGO detector (found / score / box / quad / scale).
"""
