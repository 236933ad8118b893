"""Vision layer of gkcheck: safe image decoding and LOGO detection.

This package stands alone: it never imports gkcheck checks, parsers, writers or
the engine, so it can be used (and tested) on its own.

Modules:
    imageio  -- safe, size-limited, reduced-resolution image decoding.
    headers  -- plain JPEG/PNG headers read without Pillow (size, channels, orientation).
    limits   -- the pixel and byte limits every decoder applies.
    pillow   -- Pillow with those limits: gkcheck imports Pillow from here only.
    logo     -- template-based LOGO detector (found / score / box / quad / scale).
"""
