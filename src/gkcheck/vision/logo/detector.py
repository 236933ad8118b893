"""LOGO detector: is one of the campaign's LOGO templates visible in a photo, and where?

Usage::

    det = LogoDetector([LogoTemplate.load("logo.png")])
    m = det.detect(Path("photo.jpg"))      # or bytes
    m.found, m.score, m.bbox, m.quad, m.scale, m.template

The photo is decoded reduced (JPEG DCT scaling) to a working image ``max_side`` px long;
``search.propose`` ranks windows by a correlation restricted to the LOGO's own mask over an
image pyramid; ``rank.rank`` re-orders the best of them with a small network that compares
each with the template in colour; ``verify.verify`` aligns the template on the first few
(ECC, affine then homography) and scores the aligned pixels; a photo shows the LOGO when one candidate's score (see
``LogoDetector``) reaches ``threshold``. Photos much larger than the working image in which
nothing was found are searched again, sharper, for small LOGOs only. Coordinates are full-resolution pixels of the upright photo; ``quad`` is the
template's TL, TR, BR, BL corners mapped into the photo. Design and measurements:
docs/vision/logo.md.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from ..imageio import DecodedImage, ImageDecodeError, decode
from .clutter import clutter_image
from .keypoints import fit_quad
from .paper import paper_distance
from .rank import rank
from .search import Band, Candidate, _merge, propose, propose_both
from .stats import percentile
from .template import LogoTemplate
from .verify import Verified, verify, verify_at, verify_edges

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from .clutter_store import ClutterStore

__all__ = [
    "DecodedAhead",
    "ImageDecodeError",
    "LogoDetector",
    "LogoMatch",
    "LogoTemplate",
    "decode_ahead",
    "warm_up",
]

Point = tuple[float, float]

_PIXELS_AT = 0.84  # the mark's score at which the pixel caps are set (see ``_score``)
MAX_SIDE = 1024  # ``LogoDetector(max_side)``'s default: the working image's long side


@dataclass(frozen=True)
class DecodedAhead:
    """A photo's bytes and its decode for the search at ``max_side`` (``decode_ahead``)."""

    data: bytes | bytearray | memoryview
    max_side: int
    max_pixels: int | None
    image: DecodedImage


def decode_ahead(
    data: bytes | bytearray | memoryview, max_side: int = MAX_SIDE, max_pixels: int | None = None
) -> DecodedAhead:
    """``data`` decoded as :meth:`LogoDetector.detect` decodes it for a detector of these
    ``max_side`` and ``max_pixels``, to hand to ``detect`` in its place. A one-photo process
    (a CMS hook, ``gkcheck logo PHOTO``) decodes its photo in a thread while the main one
    reads the configuration and the prepared templates: the decode releases the GIL, and
    until then the second core was idle (fifty-fifth session: 4.7 ms less a process,
    paired over 53 photos, docs/vision/logo.md). Raises as ``imageio.decode`` does."""
    # JPEG DCT scaling to a long side in [0.75, 1.5) x max_side (``detect`` area-resizes it)
    image = decode(data, max_side=int(max_side * 0.75), max_pixels=max_pixels)
    return DecodedAhead(data, max_side, max_pixels, image)


@dataclass
class _Held:
    """What the upright search at the working resolution keeps for the last rounds
    (``_last_resort``), by ``id`` of the template: its most negative windows, for the
    reversed round (``reversed_keep``), and the windows it verified first, for the knockout
    round (``knockout_keep``; the twin's own search, ``knockout_search``, adds to them).
    Keeping them costs no search."""

    low: dict[int, list[Candidate]] = field(default_factory=dict)
    first: dict[int, list[Candidate]] = field(default_factory=dict)


@dataclass(frozen=True)
class LogoMatch:
    """Result of :meth:`LogoDetector.detect`."""

    found: bool
    score: float
    bbox: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 (full-res px)
    quad: tuple[Point, Point, Point, Point] | None = None  # TL, TR, BR, BL
    scale: float | None = None  # LOGO width in photo / template width
    template: str | None = None
    image_size: tuple[int, int] | None = None  # full-res (w, h), upright
    threshold: float | None = None  # the score ``template`` had to reach (``threshold_for``)


class LogoDetector:
    """Find one of several LOGO templates in photos.

    ``threshold``: the score a LOGO must reach (``_score``): 0.7 x the hand-made score + 0.3 x
    the pair network's probability (``learned_weight``; ``learned.py``; 0 turns it off). The
    hand-made score is a weighted mean (``weights``) of the pixels' agreement -- min(mark,
    whole + 0.84 - whole_min, colour + 0.84 - colour_min) of ``verify.Verified``: the graphic
    mark's masked ZNCC with the whole LOGO and its colours agreeing too --, the gradient
    histograms' (``hog``) and the band-pass detail's; its weights (0.3, 0.5, 0.2) and 0.70 /
    0.50 were chosen on set B's tune splits (benchmarks/logo_set_b.py). 0.77 was the lowest
    threshold with precision >= 0.99 on the three tune splits pooled (the rule of the fourth
    session: a looser one let false hits through on held-out splits twice). There it now finds
    206 of the 273 LOGOs within the issue's occlusion with 1 false hit (203 with 2 before the
    search's wider pool, 199 before the keypoint alignment; 0.79 until the window ranker and
    ``min_start`` 0.3: 185 with 1). With the wider pool the rule alone would allow 0.71 (212
    with 2); 0.77 was kept, because held out it is 0.98 precise and no more, and a false hit
    passes a submission that should fail. The network's figures on tune and tune2 are on its
    own training candidates: it was trained on other splits and on the candidates of tune and
    tune2, not of tune3 (benchmarks/logo_verifier.py). Never on a test split; figures in
    docs/vision/logo.md.
    ``grey_chroma``: below this mean chroma the photo is taken as black and white and its
    colours are not compared.
    ``axis_twin``: when no template passed at the working resolution, a template whose own
    colour direction can be oriented two ways (``LogoTemplate.other_axis``: by its weights'
    sum, as ``axis`` is, and by how luminance orders the LOGO's pixels, when the two
    disagree) is searched again on the other one, its upright windows verified and scored
    (no turned or mark round, not in the fine pass). Which orientation a photo shows depends
    on the photo: a black-and-white camera shows luminance's order, a print in a colour
    photo either. Turning every such template the other way found 10 LOGOs and lost 7 on set
    B's eighteen read splits; this second try finds 8 and loses none, with no false hit
    more, and 7 more with none on fresh held161-166. It costs the photos without a LOGO of
    such a template (4 of 48 there) ~1.5x in process; the same second try with every round
    found 2 more at ~1.9x (forty-third session, docs/vision/logo.md).
    ``max_side``: long side of the working image; ``coarse_size``: geometric-mean side (px) of
    the search template, i.e. the smallest LOGO searched at the working resolution;
    ``levels_per_octave``, ``max_candidates``: the search's pyramid and how many windows are
    verified. 3 levels an octave (4 until the thirtieth session): verification corrects a
    window's size by +-10 % and more, and the window ranker orders the pool; on set B's six
    design splits and held70-72 772 / 13 of 952 LOGOs against 767 / 14 with 4, fresh
    held83-85 264 / 3 alike, and 14 ms less a process (docs/vision/logo.md).
    ``dense_levels``: (size, levels) -- from LOGOs of ``size`` working px up, the pyramid has
    ``levels`` an octave (``search.level_sizes``). A large LOGO between two of three levels
    an octave was missed where four or eight found it at once; those levels are small images.
    (64, 6) with ``colour_veto``: set B's nine design splits 778 / 13 against 772 / 13, the
    read held80-88 742 / 7 against 741 / 8, fresh held89-91 239 / 5 against 238 / 6, 9 ms
    more a process (thirty-first session, docs/vision/logo.md). ``()`` turns it off.
    ``verify_size``: the LOGO's geometric-mean side (px) when it is verified
    (``verify._frame``: a wide LOGO verified this many px *wide* left its strokes no pixel);
    ``strict_verify``: verify on pixels wholly inside the LOGO (as the search does);
    ``small_size``: the fine pass also proposes its ``fine_candidates`` best windows for LOGOs
    smaller than ``coarse_size`` at its resolution, searched with a template of this many px
    (geometric-mean side; 0 turns it off). The search's template never grows beyond the
    LOGO it looks for, so a LOGO under ``coarse_size`` px in the sharper image -- 50 px wide
    in a 12 MP photo is 19 px there -- had no level of its own. On set B's tune3, tune4,
    train9 and trainD, 16 found 6 more of 413 LOGOs with no more false hit (20: 4); details
    in docs/vision/logo.md (sixteenth session).
    ``fine_side`` / ``fine_candidates`` / ``fine_min``: the second, sharper search for LOGOs smaller than
    ``coarse_size`` at the working resolution (0 disables it).
    ``min_width``: the narrowest LOGO searched for, in the photo's own pixels. The issue's
    smallest LOGO is 50 px wide; 40 leaves room for yaw and the search's scale steps. Below
    it nothing is searched: in a photo of 1024 px a square LOGO of 40 px skips the two finest
    pyramid levels -- half the search --, and a photo too small to hide a LOGO below the
    coarse search's size is not searched again.
    ``min_start``: a candidate whose best start (``verify._start``) correlates below this is
    not aligned nor scored. Before the window ranker the weakest start of a true hit on set
    B's three tune splits was 0.49 and 0.40 spared 18 % of the candidates; the ranker's
    windows include LOGOs the grey correlation sees poorly, and 0.30 finds 3 more of them
    there (0.20 no more) for ~4 % more time. The fine pass verifies ``fine_candidates`` = 2:
    its true hits there were its first or second; it searches ``fine_per_octave`` = 2 levels
    per octave (its range is half an octave: 2 levels instead of 3; on those splits the same
    true hits, 12-17 % less time on photos of 6 MP and more).
    ``rank_pool`` / ``rank_weight``: the search proposes ``rank_pool`` windows and the window
    ranker (``rank.py``) orders them by search score + ``rank_weight`` x its logit before the
    first ``max_candidates`` are verified; ``rank_weight`` = 0 verifies the search's own best.
    On set B's tune splits the six verified held the LOGO for 210 of the 211 LOGOs the 24
    held (the search's own six: 191), and at 0.79 192 of 273 LOGOs were found with 1 false
    hit, against 185 (weights 0.02-0.2 alike; docs/vision/logo.md).
    ``peaks_per_level``: how many peaks each level of the search's pyramid may give
    (``search.propose``'s ``per_level``). With 6 and a pool of 48 (3 and 24 until the tenth
    session) a window on the LOGO is among the six verified for 241 of those 273 LOGOs
    (233 before; 6 and 24: 232; 3 and 48: 234; 8 and 64: 242), and 206 are found with 1
    false hit instead of 203 with 2. The pool of 48 costs the ranker ~12 ms a search; one
    process per photo measured 2.65x -> 2.78x ``cv2.imread`` on final6, within the noise of
    an interleaved A/B (docs/vision/logo.md).
    ``refine_band``: a candidate scoring within this much below the threshold is verified a
    second time, from the quad the first verification fitted (``Candidate.around``): the search's
    window is often 10-40 % off in size and centre, and the local start corrects +-10 %. On
    the three tune splits 0.2 found 4 more LOGOs with no more false hits (0.1: 3, 0.3: the
    same as 0.2 for 8 % more verifications); 0 turns it off.
    ``refine_grow`` / ``refine_grow_margin``: a candidate still within ``refine_band`` below
    the threshold is verified again from the fitted quad's window grown by each factor, until
    one passes: the search's window is often only part of the LOGO (0.6-0.8 of its size, or
    its mark alone), and so is the quad fitted to it. Each grown window is a further try, and
    a look-alike's best of more tries is higher, so a grown one counts as passing only at
    ``refine_grow_margin`` above the threshold. On set B's six design splits (1.3, 1.6) found
    493 LOGOs with 13 false hits against 483 / 12 (band 0.4: 498 / 15); the margin, 0.01, is
    the least that drops the one added false hit (0.776) and none of the ten LOGOs gained
    (0.785 the lowest): 493 / 12, +1 % time (docs/vision/logo.md, nineteenth session).
    ``()`` turns it off.
    ``refine_refit``: a candidate the refine tries leave within ``refine_band`` below the
    threshold is verified once more from the quad it fitted, with each chosen warp fitted
    again on the optical flow of the patch it aligns (``verify._refit``, ``flow.py``): a
    rigid fit ECC left a pixel or two off over part of the LOGO (on cloth, at a slant,
    half hidden). A further try, so it passes only by ``refine_grow_margin``, as a grown
    window does (without the margin two false hits at 0.770 and 0.772 came in). Made for
    every verification the refit cost ~14 % of a one-photo process (fiftieth session);
    inside the refine tries it changed their path and lost a LOGO they had found. As a
    last try: on seventeen read splits of set B 7 more LOGOs, none lost, no false hit more;
    on fresh held211-216 2 more, none lost, none more (510 / 9 -> 512 / 9); over all 56
    splits read, run again afterwards, 16 more and 3 false hits more (89 -> 92). In process
    +12 ms a photo on set B's (~4 %; a tenth of them make the try), nothing measurable on
    the speed split's (docs/vision/logo.md, fifty-first session). False turns it off.
    ``occluder`` / ``occluder_floor``: a candidate scoring below the threshold but at least
    ``occluder_floor`` is scored again at the quad it fitted without the pixels that seem
    to stand in front of the LOGO -- unlike every colour region of the template, as the
    photo itself shows that region, by more than ``occluder`` CIELAB units (lightness
    halved), in blobs over 3-35 % of it (``occluder.py``); the better score counts. A
    head or a hand over a plain LOGO is most of what its correlations see. At the true place
    on set B's six design splits 502 -> 520 of 632 LOGOs pass at 15 (25: 515, 50: 505); end
    to end 493 / 12 -> 498 / 12 (25: 497 / 12), no measurable time (the fitted quads of
    occluded LOGOs are often off, which the second scoring does not correct;
    docs/vision/logo.md, twentieth session). 0 turns it off.
    ``hue_route``: the colour pair network is asked also where the photo's colours on the
    LOGO lie on one line of the chroma plane (``learned.photo_hues`` 1, which any two colours
    do) but sit where the template's do: the chroma layout (``layout.py``) comparable and
    agreeing at ``hue_route`` or more. A two-ink LOGO printed without its card on a backdrop
    of one of its inks (a red sun on red cloth) shows just its other ink on the backdrop,
    and the grey network, asked before, refused such LOGOs plain to see (0.03-0.41, where
    the colour network gave 0.89-1.00); a one-ink print of a two-hue LOGO agrees with its
    layout only by chance. 0.9 is ``layout_high``'s value, not tuned: set B's 18 read splits
    1553 / 20 -> 1570 / 21 (found / false hits), fresh held149-154 521 / 10 -> 528 / 10, the
    one-ink probe 83 / 90 as before, no time (docs/vision/logo.md, fortieth session). The
    layout read for this keeps the template's thin strokes (``regions_at(thin=True)``: a
    line of text, characters reversed out of a seal), which the layout that scores leaves
    out with every region's rim: a design whose second colour is all text showed one region
    and no layout, so the grey network answered, and refused 28 of 100 of set B's third
    design at their true place (the colour network: 2). With them, 1578 / 21 -> 1598 / 21
    on the 18 read splits, 524 / 14 -> 528 / 14 on fresh held179-184, the one-ink probe
    89 / 90 as before, 1.009x in process (forty-sixth session). 0 turns it off.
    ``keypoint_min`` / ``keypoint_floor``: a verified candidate at least ``keypoint_min``
    working px on a side (geometric mean) that scores below the threshold but at least
    ``keypoint_floor`` is placed again by its SIFT keypoints (``keypoints.py``) and scored
    there; the better of the two counts. On set B's tune splits 199 -> 203 of 273 LOGOs with
    the same 2 false hits, 6-8 % more time (floor 0: 204, +12 %; 0.4: 202, +2 %); 0 turns it
    off.
    ``layout_high`` / ``layout_bonus``: a candidate whose colours sit where the template has
    them -- the chroma layout (``layout.py``) comparable and agreeing at ``layout_high`` or
    more -- scores ``layout_bonus`` more. The shape scores and the network weigh grey and
    shape; a LOGO just under the threshold whose colour regions agree with the template's in
    hue is the LOGO more often than not. Chosen on set B's ten design splits (the six tune
    splits, train9, trainD, trainE, trainF; candidates re-scored, then end to end): 0.9 and
    0.04 found 15 more of 697 LOGOs for 1 more false hit (six tune splits: 396 / 3 ->
    404 / 4, precision 0.990, the fourth session's rule); held out in docs/vision/logo.md.
    The layout can only add: a LOGO printed in one ink, whose colours cannot agree, scores
    as before (a cap on disagreement, tried first, lost such prints). 0 turns it off.
    ``colour_veto``: (agreement, line) -- a candidate whose chroma layout is comparable and
    agrees below ``agreement``, in a photo whose region colours lie at least ``line`` off one
    line in linear RGB (``layout.off_line``: paper and one ink mix along a line, so a print
    in one ink is exempt), scores below the threshold and the refine band. These are the
    same shapes in other colours: set B's siblings, the family's other designs, were 11 of
    the 21 false hits on eighteen read splits, at 0.77-0.98. (0.3, 0.12): the nine design
    splits 772 / 11 against 772 / 13 with no LOGO lost, the one-ink probe 83 / 90 as before;
    the line bound is session twenty-four's (prints in one ink measured 0.07 at most).
    ``()`` turns it off.
    ``clutter_margin`` / ``clutter_cap``: how far above its clutter a template must score,
    and the most that may ask (``threshold_for``).
    ``clutter_store``: where each template's clutter score is kept between processes
    (``clutter_store.py``); None (the default for a library caller) works it out in each
    process. gkcheck's own entry points pass the user's cache directory.
    ``threads``: how many threads one detection may use (default 1). With more, the search's
    pyramid levels are correlated side by side and the candidates verified ahead of the one
    being decided, in a pool the detector keeps; the result is the same. For a caller with a
    core to spare and one photo at a time (``gkcheck logo`` on one photo, a CMS hook); a
    caller that already runs several photos at once gains nothing from it. May be changed
    between detections.
    ``start_turns``: verification also starts from the template turned in the image plane by
    these angles (degrees; ``verify._start``). The issue asks for turns up to 20 deg; ECC
    corrects a start by a few degrees, and a start turned the wrong way correlates too little
    to be aligned at all -- a wide LOGO (a mark beside two lines of text) turned by 7-12 deg
    was found 3 times in 19 on set B's design splits, by 12 deg or more never. Steps of 8 deg
    leave at most 4 to ECC. On the six design splits 453 -> 466 of 632 LOGOs found, false hits
    13 -> 13 (docs/vision/logo.md, seventeenth session). () turns it off.
    ``start_half``: choose every start (scale, aspect, turn) at half the verification
    resolution (``verify._half_start``), its correlation there being the start's score. At
    full resolution a LOGO whose text line is a few px off its template's (perspective, a
    window 10-30 % off in size) correlates near 0 -- its thin strokes land on the backdrop
    -- and a flat corner of the crop wins the start; halved, the strokes overlap. On set B's
    six design splits 466 -> 483 of 632 LOGOs found, false hits 13 -> 12 (the third design
    28 -> 40 of 64); docs/vision/logo.md, eighteenth session. False: the full-resolution
    starts of before.
    ``sure`` = (network, gradients, floor): a candidate the pair network gives at least the
    first, whose gradient histograms (``hog``) agree at least the second and whose score is
    at least the third scores the threshold, at least. Pixel correlations are what defocus,
    cloth folds, glare and a roll-up's sheen take first; the gradients and the network still
    see such a LOGO. At the true place on set B's six design splits, of the LOGOs failing
    with the network at >= 0.95 most had ``hog`` >= 0.78 and pixels near 0, while the
    negatives' best candidates the network was as sure of had ``hog`` <= 0.73 (siblings
    aside, which pass anyway). End to end with the shipped networks 501 / 8 -> 504 / 8 of
    632 LOGOs (found / false hits); with the colour network trained in the twenty-seventh
    session, shipped with it, 507 / 8 (docs/vision/logo.md, twenty-eighth session). The score
    is raised to the threshold and no further, so a grown window (``refine_grow_margin``)
    never passes by it alone and the clutter threshold (``threshold_for``) still bars
    templates that clutter fools. ``(0, 0, 0)`` turns it off.
    ``search_turns``: when no upright window of a template passed, the search is asked again
    with the template turned in the image plane by these angles (degrees), and its best
    ``turn_keep`` windows that overlap none of the upright ones are verified too. The
    search's template is upright: a wide LOGO turned by 15-18 deg correlates ~0.5 there,
    behind clutter, and small LOGOs turned by 14 deg or more that passed at their true place
    were missed 10 times in 24 on set B's six design splits (12 in 136 under 8 deg). The
    turned search is made cheap -- ``turn_scale`` x the band's template size on levels as
    much smaller (no LOGO below the band's), ``turn_per_octave`` levels, a ranker pool of
    ``turn_pool``, not in the fine pass (``turn_fine``), both turns on the intersection of
    their masks when it keeps 80 % of each (``search._SHARED``) -- because it runs on every
    photo without a LOGO: 7 % more a process, 2.70x -> 2.86-2.90x ``cv2.imread`` (interleaved,
    idle, with 4 search levels an octave; docs/vision/logo.md, thirtieth session).
    On the six design splits and held70-72 767 / 14 of 952 LOGOs (found / false hits)
    against 759 / 14; fresh held80-82 227 / 1 against 226 / 1. ``()`` turns it off.
    The turned templates are turned at the artwork's size, then shrunk
    (``LogoTemplate.turned_at``): turned after shrinking, a LOGO of thin rays kept a
    quarter of its mask and its turned search correlated grey noise. On set B's read
    splits (dev) 912 / 25 against 908 / 26, on fresh c85-c87 and held238-240 523 / 10
    against 521 / 10 (fifty-ninth session), and as fast: 2.94x and 2.68x a decode against
    2.95x and 2.84x, interleaved (sixtieth session, docs/vision/logo.md).
    ``mark_keep``: when neither round passed, the graphic mark alone is searched for
    (``LogoTemplate.mark_only``: templates whose mark covers under ``mark_share`` of the
    LOGO), its windows grown to the whole LOGO's, ranked from a pool of ``mark_pool``, and the
    best ``mark_keep`` that overlap no window verified before are verified. The whole
    template is correlated at ~28 px, where the mark beside a line of text is ~17 px: a wide
    LOGO 460 px across, at 27 deg of yaw on shaded cloth, correlated 0.27 at its place and
    was missed while it scores 0.91 there. Coarse pass only (a mark smaller than the search's
    template is not searched for). With ``mark_keep=2`` set B's held80-88 gave 749 / 7 of 913
    LOGOs against 742 / 7, and no verdict changed on the nine other read splits; but the round
    runs on every photo without a LOGO, ~70 ms there, 3.46x ``cv2.imread`` against the
    issue's 3x, and its cheaper forms brought false hits (docs/vision/logo.md,
    thirty-second session). On fresh held92-94, read once, the gain did not hold: 240 / 5
    against 239 / 4, a LOGO more and a false hit more (thirty-third session). So 0, off, by
    default. ``mark_per_octave`` / ``mark_min``: the mark search's levels an octave (0:
    the band's) and the smallest mark searched for (working px; 0: the band's template size),
    to price cheaper forms of the round.
    ``edge_floor`` / ``edge_margin``: the search's first window of each template, and every
    window verified again in the refine band (``refine_band``), scoring at least
    ``edge_floor`` but below the threshold, is verified a second time with the start and
    the alignment on edge strength (``verify.verify_edges``) instead of grey levels; that
    verification replaces the grey one only when it scores at least the threshold +
    ``edge_margin``. A LOGO printed faintly, as a negative or in other inks correlates near
    0 or below with its template in grey at its true place, and grey-level ECC drifts off
    it; its edges are where the template's are. Every window tried so found 21 more LOGOs
    on eighteen read splits of set B, with 16 more false hits, and cost 3.5x a decode; the
    margin (0.04) and the two kinds of window are what kept the gain within the issue's
    precision and time (docs/vision/logo.md, thirty-seventh session). The clutter
    threshold (``threshold_for``) is worked out without it. A negative ``edge_floor`` turns
    it off.
    ``reversed_keep`` / ``reversed_margin``: last, when nothing passed (the fine pass
    included), the LOGO printed reversed (反白: its inks light, its paper the backdrop's
    colour, as banners print it white on red or blue): the upright search's most negative
    windows at the working resolution, which cost no correlation of their own
    (``search.propose_both``), ranked with the template's ``LogoTemplate.reversed_twin``,
    and its best ``reversed_keep`` verified and scored with it. Such a LOGO passes at the
    threshold + ``reversed_margin`` and at the clutter thresholds of both the template and
    the twin (``threshold_for``): every further try is one more chance for a look-alike,
    and the twin, one grey, no longer tells a LOGO's colours. Each window is verified once
    and plainly: no edge try, no refine tries, which lifted none of set R's reversed
    windows to the threshold + margin and were three quarters of the round's cost
    (fifty-fourth session), and no keypoint or occluder try (``_verify``'s ``tries``).
    ``reversed_floor``: only the windows the upright template correlates with at minus the
    floor or below are ranked and verified (their search score, minus the correlation, at
    least the floor), and with none the round stops before the twin is touched: the
    search's minima are everywhere (clutter correlates -0.3 to -0.6 with a template
    somewhere; on the speed split the round runs on 30 of 53 photos with no floor, 19 at
    0.55), while set R's reversed LOGOs keep 86 of their 98 finds at 0.55.
    Fifty-sixth session (docs/vision/logo.md): the floor applied before the ranking rather
    than after it (a window at the floor ranked out of the few verified was a LOGO lost,
    and ranking every window cost ~20 ms), plain verification and one window instead of
    three: on set R's r1+r2 (set B's designs printed reversed, a dev set) 91 / 11 found /
    false hits, as the fifty-fourth session's form (3 windows, refined by the keypoint and
    occluder tries) reads there, and set B's held212 main's verdicts; the round's median
    cost on a photo that runs it 57 -> 31 ms; one process a photo 2.68x and 2.78x
    ``cv2.imread`` against 2.77x and 2.87x without the round, so on by default (1); fresh set
    C c73-c75 232 / 7 against 225 / 7 found / false hits, set B's held226-228 the same
    verdicts. The fifty-third session's form (every window refined, no floor) cost 3.74x;
    the fifty-fourth's, 2.92-3.04x.
    ``knockout_keep`` / ``knockout_margin`` / ``knockout_tries`` / ``knockout_paper``: after
    the reversed round, when nothing passed, the LOGO printed from an export whose paper is
    transparent (a vector LOGO's white is no ink): without a card, on a coloured backdrop or
    an LED screen, the backdrop shows inside its ring and through its white parts, where the
    template is white, and the upright verification fails at its true place (on set K, set
    B's photos with every positive so printed, the detector without this round passed 39 of
    103 LOGOs placed exactly on them; the twin, 82). The first ``knockout_keep`` windows the
    upright search verified at the working resolution (the ranker's first) are verified
    again with the template's ``LogoTemplate.knockout_twin`` -- its inks alone, its paper
    left out of the mask as the canvas is -- with an upright window's second tries (refine,
    edge, keypoint, occluder) when ``knockout_tries``, plainly otherwise, and such a LOGO
    passes at the threshold + ``knockout_margin``, at the clutter thresholds of the template
    and the twin, and only when the photo through the template's paper is the colour of the
    ring around its outline, within ``knockout_paper`` (CIE76 Delta E,
    ``paper.paper_distance``: the one thing a knockout print promises that the twin's scores
    do not read; set K's LOGOs 0-27, the look-alikes the twin let through 42 and 61). Besides
    those windows, a search of its own (``knockout_search``, below); a template without
    paper (under 5 % of its pixels) has no twin and no round. On by default since the
    fifty-eighth session, one window verified plainly: on
    set K's k1+k2 (``benchmarks/logo_set_b.py --knockout``, a dev set) 102 LOGOs with 6
    false hits against 71 with 5; on fresh set C c82-c84 261 / 6 against 256 / 6 found /
    false hits, fresh set B held235-237 the same verdicts; one process a photo 2.77x and
    2.88x ``cv2.imread`` against 2.67x and 2.74x. Without the paper check (fresh c79-c81) it
    took a party emblem under the demo mark. Two windows with the tries found 107 on set K
    but cost 3.2x a decode (fifty-seventh session, docs/vision/logo.md).
    ``knockout_whole`` = (margin, agreement): a knockout window whose whole LOGO's pixels
    agree by the second (``Verified.whole``) passes at the threshold + the first instead of
    + ``knockout_margin`` (a first at or above it changes nothing). Set K's knockout prints
    that fail the twin's plain verification just under 0.83 agree by 0.77-0.95; the sibling
    design that a margin of 0.03 alone let in (0.8245) by 0.65. On since the sixty-second
    session (docs/vision/logo.md): on the dev splits 924 / 26 found / false hits against
    917 / 25 (set K's k1+k2 114 / 6 against 108 / 6); fresh set C c91-c93 251 / 5 against
    250 / 5, fresh set K k3 and set B held244-246 the same verdicts; no work of its own.
    ``knockout_search`` / ``knockout_search_min``: before the knockout round, each knockout
    template's twin searched for on its own, for LOGOs of ``knockout_search_min`` working px
    and more, and its ``knockout_search`` best windows that overlap none of the upright
    search's first windows by 0.8 or more verified in that round too: on set K the twin's
    own search has its first window on 32 of the 93 missed LOGOs whose template has a twin
    (most fail the twin's verification there). On by default since the sixtieth session
    (docs/vision/logo.md): on set K's k1+k2 108 / 6 found / false hits against 103 / 6,
    set B's dev splits the same rows; fresh set C c88-c90 258 / 9 against 256 / 9, fresh
    held241-243 the same verdicts; one process a photo 2.86x and 2.85x ``cv2.imread``
    against 3.17x and 2.90x, interleaved, though paired photo by photo it costs +7 ms at the
    median (+12.5 ms on average). A search of the whole pyramid (``knockout_search_min``
    28) found 111 on set K, at about an upright search's cost.
    ``large_keep`` / ``large_size`` / ``large_min`` / ``large_pool``: a round after the turned
    one, when nothing passed, for the upright template of the main search: a search with a
    ``large_size`` px template for LOGOs of ``large_min`` working px and more, its
    ``large_keep`` best windows (ranked from its ``large_pool`` best) that overlap none
    already verified, verified with the usual tries. Off by default (0): on set B's twelve
    dev splits two windows ranked found 5 LOGOs more (929 / 26 against 924 / 26) but cost
    +23 to +39 ms a one-photo process paired; one window unranked 2 more and a false hit
    more for +16 ms: either is past the speed bound's margin (sixty-second session,
    docs/vision/logo.md).
    """

    def __init__(
        self,
        templates: Iterable[LogoTemplate | str | Path | bytes],
        *,
        threshold: float = 0.77,
        max_side: int = MAX_SIDE,
        coarse_size: float = 28.0,
        levels_per_octave: int = 3,
        dense_levels: tuple[float, ...] = (64.0, 6),
        max_candidates: int = 6,
        verify_size: int = 96,
        max_pixels: int | None = None,  # None: imageio's per-format limits (JPEG up to 250 MP)
        cache_size: int = 256,
        strict_verify: float = 1.0,
        fine_side: int = 1536,
        fine_candidates: int = 2,
        fine_per_octave: int = 2,
        fine_min: float = 1.4,
        small_size: float = 16.0,
        whole_min: float = 0.7,
        colour_min: float = 0.5,
        grey_chroma: float = 6.0,
        axis_twin: bool = True,
        weights: tuple[float, float, float] = (0.3, 0.5, 0.2),
        min_width: float = 40.0,
        min_start: float = 0.3,
        learned_weight: float = 0.3,
        refine_band: float = 0.2,
        clutter_margin: float = 0.19,
        clutter_cap: float = 0.86,
        clutter_images: int = 6,
        rank_pool: int = 48,
        rank_weight: float = 0.1,
        peaks_per_level: int = 6,
        keypoint_min: float = 64.0,
        keypoint_floor: float = 0.3,
        layout_high: float = 0.9,
        layout_bonus: float = 0.04,
        colour_veto: tuple[float, ...] = (0.3, 0.12),
        clutter_store: ClutterStore | None = None,
        threads: int = 1,
        start_turns: tuple[float, ...] = (-16.0, -8.0, 8.0, 16.0),
        start_half: bool = True,
        refine_grow: tuple[float, ...] = (1.3, 1.6),
        refine_grow_margin: float = 0.01,
        refine_refit: bool = True,
        occluder: float = 15.0,
        occluder_floor: float = 0.5,
        hue_route: float = 0.9,
        sure: tuple[float, float, float] = (0.99, 0.78, 0.60),
        search_turns: tuple[float, ...] = (-14.0, 14.0),
        turn_keep: int = 1,
        turn_scale: float = 0.7,
        turn_per_octave: int = 2,
        turn_pool: int = 16,
        turn_fine: bool = False,
        mark_keep: int = 0,
        mark_share: float = 0.6,
        mark_pool: int = 48,
        mark_per_octave: int = 0,
        mark_min: float = 0.0,
        edge_floor: float = 0.0,
        edge_margin: float = 0.04,
        reversed_keep: int = 1,
        reversed_margin: float = 0.06,
        reversed_floor: float = 0.55,
        knockout_keep: int = 1,
        knockout_margin: float = 0.06,
        knockout_tries: bool = False,
        knockout_paper: float = 35.0,
        knockout_search: int = 1,
        knockout_search_min: float = 56.0,
        knockout_whole: tuple[float, float] = (0.03, 0.75),
        large_keep: int = 0,
        large_size: float = 40.0,
        large_min: float = 80.0,
        large_pool: int = 48,
    ) -> None:
        self.templates: list[LogoTemplate] = [
            t if isinstance(t, LogoTemplate) else LogoTemplate.load(t) for t in templates
        ]
        if not self.templates:
            raise ValueError("at least one template is required")
        self.threshold = float(threshold)
        self.max_side = int(max_side)
        self.coarse_size = float(coarse_size)
        self.levels_per_octave = int(levels_per_octave)
        self.dense_levels = (
            (float(dense_levels[0]), int(dense_levels[1])) if dense_levels else None
        )
        self.max_candidates = int(max_candidates)
        self.verify_size = int(verify_size)
        self.max_pixels = max_pixels
        self.strict_verify = bool(strict_verify)
        self.fine_side = int(fine_side)
        self.fine_candidates = int(fine_candidates)
        self.fine_per_octave = int(fine_per_octave)
        self.fine_min = float(fine_min)
        self.small_size = float(small_size)
        self.whole_min = float(whole_min)
        self.colour_min = float(colour_min)
        self.grey_chroma = float(grey_chroma)
        self.axis_twin = bool(axis_twin)
        wp, wh, wd = (float(x) for x in weights)
        self.weights = (wp, wh, wd)
        self.min_width = float(min_width)
        self.min_start = float(min_start)
        self.learned_weight = float(learned_weight)
        self.refine_band = float(refine_band)
        self.clutter_margin = float(clutter_margin)
        self.clutter_cap = float(clutter_cap)
        self.clutter_images = int(clutter_images)
        self.rank_pool = int(rank_pool)
        self.rank_weight = float(rank_weight)
        self.peaks_per_level = int(peaks_per_level)
        self.keypoint_min = float(keypoint_min)
        self.keypoint_floor = float(keypoint_floor)
        self.layout_high = float(layout_high)
        self.layout_bonus = float(layout_bonus)
        self.colour_veto = tuple(float(x) for x in colour_veto)
        self.clutter_store = clutter_store
        self._cache: OrderedDict[tuple[bytes, bool], LogoMatch] = OrderedDict()
        self._cache_size = int(cache_size)
        # one detector serves several threads (``gkcheck logo --jobs``): the cache is locked,
        # the statistics are each thread's own
        self._lock = threading.Lock()
        self._local = threading.local()
        self.threads = int(threads)
        self.start_turns = tuple(float(a) for a in start_turns)
        self.start_half = bool(start_half)
        self.refine_grow = tuple(float(g) for g in refine_grow)
        self.refine_grow_margin = float(refine_grow_margin)
        self.refine_refit = bool(refine_refit)
        self.occluder = float(occluder)
        self.occluder_floor = float(occluder_floor)
        self.hue_route = float(hue_route)
        sure_learned, sure_hog, sure_floor = (float(x) for x in sure)
        self.sure = (sure_learned, sure_hog, sure_floor)
        self.search_turns = tuple(float(a) for a in search_turns)
        self.turn_keep = int(turn_keep)
        self.turn_scale = float(turn_scale)
        self.turn_per_octave = int(turn_per_octave)
        self.turn_pool = int(turn_pool)
        self.turn_fine = bool(turn_fine)
        self.mark_keep = int(mark_keep)
        self.mark_share = float(mark_share)
        self.mark_pool = int(mark_pool)
        self.mark_per_octave = int(mark_per_octave)
        self.mark_min = float(mark_min)
        self.edge_floor = float(edge_floor)
        self.edge_margin = float(edge_margin)
        self.reversed_keep = int(reversed_keep)
        self.reversed_margin = float(reversed_margin)
        self.reversed_floor = float(reversed_floor)
        self.knockout_keep = int(knockout_keep)
        self.knockout_margin = float(knockout_margin)
        self.knockout_tries = bool(knockout_tries)
        self.knockout_paper = float(knockout_paper)
        self.knockout_search = int(knockout_search)
        self.knockout_search_min = float(knockout_search_min)
        whole_margin, whole_min = (float(x) for x in knockout_whole)
        self.knockout_whole = (whole_margin, whole_min)
        self.large_keep = int(large_keep)
        self.large_size = float(large_size)
        self.large_min = float(large_min)
        self.large_pool = int(large_pool)
        self._pool: tuple[int, ThreadPoolExecutor] | None = None  # (its size, the pool)

    @property
    def last_stats(self) -> dict[str, Any]:
        """What the calling thread's last search did (candidates, verified, best parts)."""
        stats: dict[str, Any] = getattr(self._local, "stats", {})
        return stats

    def detect(
        self, image: bytes | str | Path | DecodedAhead, *, first_hit: bool = True
    ) -> LogoMatch:
        """Look for any template in ``image`` (bytes, a path, or bytes already decoded by
        :func:`decode_ahead`: that decode is used when it was made for this detector's
        ``max_side`` and ``max_pixels``, the bytes are decoded again otherwise).

        ``first_hit``: stop at the first candidate that passes (the verdict is the same; the
        box is that candidate's rather than the best-scoring one's).
        Raises ``ImageDecodeError`` for unreadable / too large images.
        """
        ahead: DecodedAhead | None = None
        if isinstance(image, DecodedAhead):
            ahead, data = image, image.data
        elif isinstance(image, (bytes, bytearray, memoryview)):
            data = image
        else:
            data = _read(image)
        key = (hashlib.blake2b(data, digest_size=16).digest(), first_hit)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        if ahead is None or (ahead.max_side, ahead.max_pixels) != (self.max_side, self.max_pixels):
            ahead = decode_ahead(data, self.max_side, self.max_pixels)
        dec = ahead.image
        held = _Held()
        # the working image once: the reversed round (``_last_resort``) searches it again,
        # and shrinking a 1.5x decode to it took up to ~11 ms (fifty-sixth session)
        work = working_image(dec.pixels, self.max_side)
        result = self._search(work, dec.full_size, first_hit, self.max_side, held=held)
        long_full = max(dec.full_size)
        if (
            not result.found
            and self.fine_side > 0
            and long_full >= self.fine_min * self.max_side
            and min(self._smallest(t, self.max_side / long_full) for t in self.templates)
            < self.coarse_size
        ):
            # LOGOs smaller than ``coarse_size`` px at the working resolution (a 50 px LOGO
            # in a 12 MP photo is 13 px there): search again, only for those sizes, on a
            # sharper decode
            side = min(self.fine_side, long_full)
            dec2 = decode_ahead(data, side, self.max_pixels).image
            fine = self._search(
                working_image(dec2.pixels, side),
                dec2.full_size,
                first_hit,
                side,
                largest=self.coarse_size * side / self.max_side,
                keep=self.fine_candidates,
                per_octave=self.fine_per_octave,
                small=0.0 < self.small_size < self.coarse_size,
                turned=self.turn_fine,
                mark=False,
                twins=False,
            )
            if fine.found or fine.score > result.score:
                result = fine
        result = self._last_resort(work, dec.full_size, first_hit, result, held)
        with self._lock:
            self._cache[key] = result
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def detect_array(
        self, bgr: np.ndarray, *, full_size: tuple[int, int] | None = None, first_hit: bool = True
    ) -> LogoMatch:
        """Same as :meth:`detect` on already decoded BGR pixels.

        ``full_size`` is the full-resolution (w, h) the pixels stand for (coordinates are
        reported in it); default: the array's own size."""
        H0, W0 = bgr.shape[:2]
        full = full_size or (W0, H0)
        held = _Held()
        work = working_image(bgr, self.max_side)  # once for both rounds, as ``detect``
        result = self._search(work, full, first_hit, self.max_side, held=held)
        return self._last_resort(work, full, first_hit, result, held)

    def _last_resort(
        self, work: np.ndarray, full: tuple[int, int], first_hit: bool, result: LogoMatch,
        held: _Held,
    ) -> LogoMatch:  # fmt: skip
        """``result``, or when nothing passed -- after every other round, the fine pass's
        too, which a window of a twin scoring first would otherwise pre-empt -- the reversed
        round's (``reversed_keep``) on the most negative windows of the upright searches
        (``held.low``), then the knockout round's (``knockout_keep``) on the windows they
        verified first (``held.first``), each when it passes or scores higher."""
        floor = self.reversed_floor
        if not result.found and any(c.score >= floor for low in held.low.values() for c in low):
            # with no window at the floor the twin is not touched: its first use is most of
            # the round's cost
            rev = self._search(work, full, first_hit, self.max_side, reversed_of=held.low)
            result = rev if rev.found or rev.score > result.score else result
        if not result.found and self.knockout_search > 0:
            self._knockout_search(work, held)
        if not result.found and any(held.first.values()):
            ko = self._search(work, full, first_hit, self.max_side, knockout_of=held.first)
            # only a pass: a window the paper check refused (``knockout_paper``) may score
            # above the threshold, and a miss reports the searches' own best
            result = ko if ko.found else result
        return result

    def _search(
        self,
        work: np.ndarray,
        full: tuple[int, int],
        first_hit: bool,
        max_side: int,
        *,
        largest: float | None = None,
        keep: int | None = None,
        per_octave: int | None = None,
        small: bool = False,
        turned: bool = True,
        mark: bool = True,
        twins: bool = True,
        held: _Held | None = None,
        reversed_of: dict[int, list[Candidate]] | None = None,
        knockout_of: dict[int, list[Candidate]] | None = None,
    ) -> LogoMatch:
        """Propose and verify on ``work``, the photo shrunk to ``max_side``
        (``working_image``: made once by the caller, as the reversed round searches the same
        image again, fifty-sixth session); ``largest`` bounds the LOGO
        sizes searched (geometric-mean working px), ``keep`` the candidates verified,
        ``per_octave`` the pyramid's levels (default ``levels_per_octave``); ``small``: also
        the ``keep`` best windows for LOGOs smaller than the search's template
        (``small_size``). ``held``: where each template's upright search puts its most
        negative windows and the first it verifies (``_Held``). ``reversed_of`` /
        ``knockout_of``: instead of searching, verify those windows (by ``id`` of the
        template) with each template's reversed twin (``reversed_keep``) or knockout twin
        (``knockout_keep``)."""
        # (score, template, verification, what was searched for it, which kind of try)
        best: tuple[float, LogoTemplate, Verified, LogoTemplate, str] | None = None
        best_pass: tuple[float, LogoTemplate, Verified, LogoTemplate, str] | None = None
        stats: dict[str, Any] = {"candidates": 0, "verified": 0}
        if reversed_of is not None:
            tries = self._reversed_tries(reversed_of)
        elif knockout_of is not None:
            tries = self._knockout_tries(knockout_of)
        else:
            tries = self._tries(twins)
        for own, tpl, kind in tries:
            gray = tpl.project(work)
            smallest = self._smallest(tpl, work.shape[1] / full[0])
            # (largest LOGO, search template size): the search's own band, then the windows
            # for LOGOs under its template
            bands = [(largest, self.coarse_size)]
            if small:
                bands.append((self.coarse_size * 0.999, self.small_size))
            searches = [
                {
                    "per_octave": per_octave or self.levels_per_octave,
                    "dense": self.dense_levels if per_octave is None else None,
                    "largest": top,
                    "smallest": smallest,
                    "size": size,
                }
                for top, size in bands
            ]
            stopped = False
            twin = kind != "own"  # its upright windows only (``axis_twin``)
            # a reversed window must reach the threshold + ``reversed_margin``: a try that
            # lifts one from the refine band to there is rare, and each costs a verification;
            # a knockout window gets the tries only with ``knockout_tries``
            once = reversed_of is not None or (knockout_of is not None and not self.knockout_tries)
            if reversed_of is not None:
                rounds: Iterator[list[Candidate]] = iter(
                    [self._reversed_windows(work, tpl, reversed_of.get(id(own), []))]
                )
            elif knockout_of is not None:
                rounds = iter([knockout_of.get(id(own), [])])
            else:
                wanted = held is not None and kind == "own" and self.reversed_keep > 0
                low = held.low.setdefault(id(own), []) if wanted and held is not None else None
                rounds = self._rounds(
                    gray, work, tpl, searches, keep, turned and not twin, mark and not twin,
                    low,
                )  # fmt: skip
            for r, cands in enumerate(rounds):
                if r == 0 and held is not None and kind == "own" and self._knocks_out(own):
                    # the knockout round's windows: the first the upright search verifies
                    held.first[id(own)] = cands[: self.knockout_keep]
                stats["candidates"] += len(cands)
                # the edge try (``edge_floor``) for the first round's first window only; a
                # reversed window is verified once: no edge try, no refine tries (``_refine``)
                edges = [r == 0 and i == 0 and not once for i in range(len(cands))]
                # with a pool, the candidates are verified ahead, in its threads; they are
                # decided here one by one, in order, as without
                ahead = self._threads() if len(cands) > 1 else None
                futures: list[Future[Verified | None]] = []
                if ahead is None:
                    verified: Iterator[Verified | None] = (
                        self._verify(
                            gray, work, tpl, c, min_start=self.min_start, edges=e, tries=not once
                        )
                        for c, e in zip(cands, edges, strict=True)
                    )
                else:
                    futures = [
                        ahead.submit(
                            self._verify,
                            gray,
                            work,
                            tpl,
                            c,
                            min_start=self.min_start,
                            edges=e,
                            tries=not once,
                        )
                        for c, e in zip(cands, edges, strict=True)
                    ]
                    verified = (f.result() for f in futures)
                for v in verified:
                    stats["verified"] += 1
                    if v is None:
                        continue
                    v, score = (
                        (v, self._score(v)) if once else self._refine(gray, work, tpl, v, stats)
                    )
                    if best is None or score > best[0]:
                        best = (score, own, v, tpl, kind)
                        stats["parts"] = [
                            v.whole, v.mark, v.colour, v.start, v.hog, v.detail, v.learned
                        ]  # fmt: skip
                        stats["layout"] = v.layout.agreement if v.layout.comparable else None
                    # the clutter thresholds are worked out only for a score that may pass
                    passes = score >= self.threshold and score >= self._needed(own, tpl, kind, v)
                    if passes and kind == "knockout":
                        passes = self._shows_backdrop(work, own, tpl, v)
                    if passes and (best_pass is None or score > best_pass[0]):
                        best_pass = (score, own, v, tpl, kind)
                    if first_hit and passes:
                        for f in futures:
                            f.cancel()  # those not started; one running is let finish, unread
                        stopped = True
                        break
                if stopped:
                    break  # before the next round is worked out
            if first_hit and best_pass is not None:
                break
        self._local.stats = stats
        chosen = best_pass or best
        if chosen is None:
            return LogoMatch(found=False, score=0.0, image_size=full)
        score, tpl, v, searched, kind = chosen
        q = v.quad * (full[0] / work.shape[1])
        return self._match(
            max(0.0, score), q, tpl, full, found=best_pass is not None,
            threshold=self._needed(tpl, searched, kind, v),
        )  # fmt: skip

    def _needed(
        self, own: LogoTemplate, searched: LogoTemplate, kind: str, v: Verified | None = None
    ) -> float:
        """The score a window of ``own`` must reach when ``searched`` was verified for it
        (``_tries``) as ``v``: its threshold (``threshold_for``); for a reversed or knockout
        twin also the twin's and the threshold + ``reversed_margin`` / ``knockout_margin``,
        or + ``knockout_whole``'s margin for a knockout window whose whole LOGO's pixels
        agree by its second value (``Verified.whole``)."""
        needed = self.threshold_for(own)
        if kind == "knockout":
            margin = self.knockout_margin
            whole_margin, whole_min = self.knockout_whole
            if v is not None and v.whole >= whole_min:
                margin = min(margin, whole_margin)
            needed = max(needed, self.threshold + margin, self.threshold_for(searched))
        if kind == "reversed":
            needed = max(
                needed, self.threshold + self.reversed_margin, self.threshold_for(searched)
            )
        return needed

    def _tries(self, twins: bool = True) -> Iterator[tuple[LogoTemplate, LogoTemplate, str]]:
        """(template, what is searched for it, which kind of try): each template ("own"),
        then -- reached only when none passed (``first_hit``) -- with ``twins``, each one's
        :meth:`~LogoTemplate.axis_twin` ("axis", ``axis_twin``)."""
        for t in self.templates:
            yield t, t, "own"
        if self.axis_twin and twins:
            for t in self.templates:
                twin = t.axis_twin()
                if twin is not None:
                    yield t, twin, "axis"

    def _knockout_tries(
        self, first: dict[int, list[Candidate]]
    ) -> Iterator[tuple[LogoTemplate, LogoTemplate, str]]:
        """(template, its :meth:`~LogoTemplate.knockout_twin`, "knockout") for each template
        that has one and windows in ``first``: the last round (``knockout_keep``,
        ``_last_resort``)."""
        for t in self.templates:
            twin = t.knockout_twin() if first.get(id(t)) else None
            if twin is not None:
                yield t, twin, "knockout"

    def _knockout_search(self, work: np.ndarray, held: _Held) -> None:
        """Add to each knockout template's windows (``held.first``) the ``knockout_search``
        best of a search with its knockout twin, for LOGOs of ``knockout_search_min`` working
        px and more, that overlap none of them by 0.8 or more: a knockout print the upright
        search's first window missed (on set K the twin's own first window is on 32 of the
        93 LOGOs missed with a twin, the upright template's on 7, both by correlation before
        any ranking; sixtieth session). Its finest
        levels being the dearest, a search from 56 px costs about a quarter of the upright
        one."""
        for t in self.templates:
            twin = t.knockout_twin() if self._knocks_out(t) else None
            if twin is None or id(t) not in held.first:
                continue
            first = held.first[id(t)]
            found = propose(
                twin.project(work), twin, size=self.coarse_size,
                keep=self.knockout_search + len(first), per_level=self.peaks_per_level,
                pool=self._threads(), per_octave=self.levels_per_octave,
                smallest=self.knockout_search_min,
            )  # fmt: skip
            # a window on the same LOGO at another size is verified too: the upright
            # window's twin verification may fail where the twin's own window passes
            extra = [c for c in found if all(c.overlap(f) < 0.8 for f in first)]
            held.first[id(t)] = first + extra[: self.knockout_search]

    def _shows_backdrop(
        self, work: np.ndarray, own: LogoTemplate, twin: LogoTemplate, v: Verified
    ) -> bool:
        """A window passing by ``own``'s knockout twin shows, through the template's paper,
        the colour around it: within ``knockout_paper`` (Delta E, ``paper.paper_distance``).
        Unreadable (the LOGO at the photo's edge) is not shown."""
        d = paper_distance(work, own, twin, v.quad)
        return d is not None and d <= self.knockout_paper

    def _knocks_out(self, tpl: LogoTemplate) -> bool:
        """The knockout round is on and ``tpl`` has a knockout twin (paper to knock out)."""
        return self.knockout_keep > 0 and tpl.knockout_twin() is not None

    def _reversed_tries(
        self, held: dict[int, list[Candidate]]
    ) -> Iterator[tuple[LogoTemplate, LogoTemplate, str]]:
        """(template, its :meth:`~LogoTemplate.reversed_twin`, "reversed") for each template
        with a window of ``held`` at ``reversed_floor`` or above: the last round
        (``reversed_keep``, ``_last_resort``)."""
        for t in self.templates:
            if any(c.score >= self.reversed_floor for c in held.get(id(t), [])):
                yield t, t.reversed_twin(), "reversed"

    def threshold_for(self, tpl: LogoTemplate) -> float:
        """The score ``tpl`` must reach: ``threshold``, or more for a template that scores high
        on clutter (``clutter.py``): the 90th percentile of its scores on ``clutter_images``
        drawn images, each in colour and in grey, plus ``clutter_margin``. The margin, 0.19,
        is the least any of the tune splits' 21 templates had between that percentile (0.60
        at most) and ``threshold``, where precision was >= 0.99 (at 0.79, the threshold
        then): no template is trusted with less. At 0.79 none of those templates had its
        threshold raised; at today's 0.77 two were, to 0.776 and 0.785 (their percentiles,
        0.586 and 0.595, were the same with the tenth session's search). On the tune splits as
        made again since, none is (23 templates; percentiles 0.537 at most, 0.532 with the
        colour pair network of the twenty-sixth session). The percentile is
        over the candidates a detection scores: those whose start reaches ``min_start`` (the
        tune templates' percentiles moved by 0.02 at most, the largest stayed 0.595; it takes
        a quarter less time). Worked out once per template and kept with it (0.05-0.2 s),
        the first time a photo has a verified candidate of it or ahead (``prepare``);
        reported as ``LogoMatch.threshold``. 0 turns it off.

        No higher than ``clutter_cap`` (0.86; ``threshold`` still wins if set above it). A
        wide template -- a mark beside a line of text -- finds the drawn clutter's strokes
        with its text, and its threshold rose as high as 0.97, where few of its LOGOs pass
        (held117 d11705: none of 15, 13 with the window on the LOGO at 0.83-0.97). On set
        B's fifty-four read splits 24 of 432 templates were above 0.77, all but one wide;
        under them 70 LOGOs scored 0.77 or more on the LOGO and were held back, against 25
        negative photos and 9 windows off the LOGO. 0.86 was read off a simulation on those
        rows (below it siblings at 0.85 come in); end to end the splits it changes found 38
        more LOGOs with one false hit more (a sibling design at 0.95), and fresh held131-148
        9 more with none (thirty-eighth session, docs/vision/logo.md). A cap above 1 turns it
        off (no score exceeds 1)."""
        if self.clutter_margin <= 0:
            return self.threshold
        raised = min(self._clutter_q90(tpl) + self.clutter_margin, self.clutter_cap)
        return max(self.threshold, raised)

    def prepare(self, stop: threading.Event | None = None) -> None:
        """Work out ahead what detections may need: each template's clutter threshold
        (``threshold_for``, 0.05-0.2 s per template, otherwise computed when the first
        candidate reaches ``threshold``). A caller with a core to spare runs this in a thread
        while the first photo is decoded and searched (``gkcheck logo`` does): one photo,
        one process, that photo then waits for nothing. ``stop`` set: give up between two
        clutter images, keeping nothing; a detection that needs the value computes it."""
        if self.clutter_margin <= 0:
            return
        for tpl in self.templates:
            try:
                self._clutter_q90(tpl, stop)
            except _Stopped:
                return

    def _clutter_q90(self, tpl: LogoTemplate, stop: threading.Event | None = None) -> float:
        """The 90th percentile of ``tpl``'s scores on the clutter images (``clutter.py``), kept
        with the template, so that every detector scoring the same way shares it; keyed by
        what the scores depend on."""
        key = (
            "clutter", self.clutter_images, self.coarse_size, self.verify_size,
            self.strict_verify, self.grey_chroma, self.weights, self.whole_min,
            self.colour_min, self.learned_weight, self.min_start, self.threshold,
            self.keypoint_min, self.keypoint_floor, self.layout_high, self.layout_bonus,
            self.colour_veto,
            self.peaks_per_level, self.start_turns, self.start_half, self.occluder,
            self.occluder_floor, self.sure, self.hue_route,
        )  # fmt: skip
        return float(tpl.remember(key, lambda: self._stored_clutter(tpl, key, stop)))

    def _stored_clutter(
        self, tpl: LogoTemplate, key: tuple[object, ...], stop: threading.Event | None
    ) -> float:
        """The clutter score from ``clutter_store`` when it holds one, else worked out (and
        kept there)."""
        store = self.clutter_store
        if store is None:
            return self._clutter_scores(tpl, stop)
        name = store.key(tpl, key)
        value = store.get(name) if name is not None else None
        if value is None:
            value = self._clutter_scores(tpl, stop)
            if name is not None:
                store.put(name, value)
        return value

    def _clutter_scores(self, tpl: LogoTemplate, stop: threading.Event | None) -> float:
        scores: list[float] = []
        for k in range(self.clutter_images):
            if stop is not None and stop.is_set():
                raise _Stopped
            for img in (clutter_image(k), clutter_image(k, grey=True)):  # ``clutter.py``
                gray = tpl.project(img)
                # the search's own order: ranking (``rank.py``, ~15 ms an image) would add a
                # tenth of a second to every one-photo process; of set B's 71 templates 66 get
                # the same threshold either way, 5 one within 0.03. Four levels an octave, as
                # the thresholds were calibrated: with the photos' three (thirty-first
                # session) three templates' thresholds rose and fresh held86-88 lost five
                # LOGOs (docs/vision/logo.md)
                for cand in propose(
                    gray, tpl, size=self.coarse_size, keep=3, per_level=self.peaks_per_level,
                    per_octave=_CLUTTER_PER_OCTAVE,
                ):  # fmt: skip
                    v = self._verify(gray, img, tpl, cand, min_start=self.min_start)
                    if v is not None:
                        scores.append(self._score(v))
        return percentile(scores, 90) if scores else 0.0

    def _threads(self) -> ThreadPoolExecutor | None:
        """The pool of ``threads`` workers, made on first use; None with one thread."""
        if self.threads <= 1:
            return None
        with self._lock:
            if self._pool is None or self._pool[0] != self.threads:
                if self._pool is not None:
                    self._pool[1].shutdown(wait=False)
                pool = ThreadPoolExecutor(self.threads, thread_name_prefix="gkcheck-logo")
                self._pool = (self.threads, pool)
            return self._pool[1]

    def _propose(
        self, gray: np.ndarray, work: np.ndarray, tpl: LogoTemplate, keep: int,
        searches: Sequence[Mapping[str, Any]] = ({},), low: list[Candidate] | None = None,
    ) -> list[Candidate]:  # fmt: skip
        """The windows to verify, ``keep`` for each search (a band of LOGO sizes; by default
        the search's template over the whole pyramid): its best ``rank_pool`` re-ordered by
        the window ranker (``rank.py``), or its own best ``keep`` when ``rank_weight`` is 0.
        The bands are searched together (``propose_both``). ``low``: where the most negative
        windows of each band's pool are put, unranked (``reversed_keep``)."""
        pool = self._ranking_pool(keep, self.rank_pool)
        bands = [Band(**{"size": self.coarse_size, **search}) for search in searches]
        found, negative = propose_both(
            gray, tpl, bands, keep=pool, per_level=self.peaks_per_level, pool=self._threads(),
            minima=low is not None,
        )  # fmt: skip
        if low is not None:
            low += [c for cands in negative for c in cands]
        if pool > keep:
            found = [rank(work, tpl, cands, weight=self.rank_weight) for cands in found]
        return [c for cands in found for c in cands[:keep]]

    def _rounds(
        self, gray: np.ndarray, work: np.ndarray, tpl: LogoTemplate,
        searches: list[dict[str, Any]], keep: int | None, turned: bool, mark: bool,
        low: list[Candidate] | None = None,
    ) -> Iterator[list[Candidate]]:  # fmt: skip
        """The windows to verify, in rounds: the upright search's (each band's ``keep`` best),
        then -- each worked out only if the caller asks for it, i.e. none before passed -- the
        turned search's (``search_turns``) and the mark's (``mark_keep``). ``low``: where the
        upright search's most negative windows are put (``_propose``)."""
        taken = self._propose(gray, work, tpl, keep or self.max_candidates, searches, low)
        yield taken
        if turned and self.search_turns and self.turn_keep > 0:
            more = [
                c
                for search in searches
                for c in self._propose_turned(gray, work, tpl, taken, **search)
            ]
            yield more
            taken = taken + more
        if mark and self.large_keep > 0:  # the main search's upright template only
            more = [
                c
                for search in searches
                for c in self._propose_large(gray, work, tpl, taken, **search)
            ]
            yield more
            taken = taken + more
        part = tpl.mark_only(self.mark_share) if mark and self.mark_keep > 0 else None
        if part is not None:
            yield [
                c
                for search in searches
                for c in self._propose_mark(gray, work, tpl, part, taken, **search)
            ]

    def _propose_turned(
        self, gray: np.ndarray, work: np.ndarray, tpl: LogoTemplate, taken: list[Candidate],
        **search: Any,
    ) -> list[Candidate]:  # fmt: skip
        """The ``turn_keep`` best windows of the template turned by ``search_turns``, ranked as
        the upright ones are, that overlap none of the upright windows already verified
        (``taken``)."""
        search.setdefault("size", self.coarse_size)
        search.pop("dense", None)  # the turned round has levels of its own (``turn_per_octave``)
        if self.turn_scale != 1.0:
            # a smaller template, on levels as much smaller; no LOGO below the band's
            search["smallest"] = max(search.get("smallest", 0.0), search["size"])
            search["size"] = search["size"] * self.turn_scale
        if self.turn_per_octave > 0:
            search["per_octave"] = self.turn_per_octave
        pool = self._ranking_pool(self.turn_keep, self.turn_pool)
        turned = propose(
            gray, tpl, keep=pool, per_level=self.peaks_per_level, pool=self._threads(),
            turns=self.search_turns, **search,
        )  # fmt: skip
        return self._ranked_apart(work, tpl, turned, taken, self.turn_keep, pool > self.turn_keep)

    def _propose_mark(
        self, gray: np.ndarray, work: np.ndarray, tpl: LogoTemplate, part: LogoTemplate,
        taken: list[Candidate], **search: Any,
    ) -> list[Candidate]:  # fmt: skip
        """The ``mark_keep`` best windows of the search for ``tpl``'s mark alone (``part``),
        each grown to the whole LOGO's window and ranked as the LOGO's own are, that overlap
        none of the windows already verified (``taken``). The band's LOGO sizes become the
        mark's; no mark under the band's template size is searched for (its finest level is
        the working image, as the LOGO's is)."""
        search.pop("dense", None)
        size = float(search.pop("size", self.coarse_size))
        (tw, th), (mw, mh) = tpl.size, part.size
        r = math.sqrt(mw * mh / (tw * th))
        H, W = gray.shape
        largest = search.pop("largest", None)
        top = 0.8 * min(H, W) if largest is None else float(largest)
        found = propose(
            gray, part, size=size, keep=max(self.mark_keep, self.mark_pool),
            per_level=self.peaks_per_level, pool=self._threads(),
            per_octave=self.mark_per_octave or search.get("per_octave", self.levels_per_octave),
            smallest=max(size, self.mark_min, r * search.get("smallest", 0.0)),
            largest=r * top,
        )  # fmt: skip
        whole = [
            w
            for w in (c.for_whole(tpl.mark_box, tpl.size) for c in found)
            if 0.0 <= w.cx < W and 0.0 <= w.cy < H
        ]
        ranked = self.rank_weight > 0 and len(whole) > self.mark_keep
        return self._ranked_apart(work, tpl, whole, taken, self.mark_keep, ranked)

    def _propose_large(
        self, gray: np.ndarray, work: np.ndarray, tpl: LogoTemplate, taken: list[Candidate],
        **search: Any,
    ) -> list[Candidate]:  # fmt: skip
        """The ``large_keep`` best windows of a search with a ``large_size`` px template for
        LOGOs of ``large_min`` working px and more -- ranked from its ``large_pool`` best
        when that is more -- that overlap none of the windows already verified (``taken``).
        A LOGO of strokes a pixel wide at the search's 28 px template (a sunburst's rays, a
        line of text) correlates there only where scale and place are exact: one 617 px wide
        in its photo, on its card, seen from the front, 0.44 in the search, 0.82 placed exactly
        (sixty-second session)."""
        search["size"] = self.large_size
        search["smallest"] = max(float(search.get("smallest", 0.0)), self.large_min)
        pool = self._ranking_pool(self.large_keep, self.large_pool)
        found = propose(
            gray, tpl, keep=pool, per_level=self.peaks_per_level, pool=self._threads(), **search
        )
        return self._ranked_apart(work, tpl, found, taken, self.large_keep, pool > self.large_keep)

    def _reversed_windows(
        self, work: np.ndarray, twin: LogoTemplate, low: list[Candidate]
    ) -> list[Candidate]:
        """The ``reversed_keep`` windows to verify with a template's reversed twin: of the
        most negative windows of its upright search (``low``), apart from each other, those
        at ``reversed_floor`` or above; of those, the ones the window ranker puts first for
        the twin (in the order of their correlation without it)."""
        if not low or self.reversed_keep <= 0:
            return []
        apart = _merge(low, len(low))  # each band's windows, apart from the other bands' too
        apart = [c for c in apart if c.score >= self.reversed_floor]
        if self.rank_weight > 0 and len(apart) > self.reversed_keep:
            apart = rank(work, twin, apart, weight=self.rank_weight)
        return apart[: self.reversed_keep]

    def _ranking_pool(self, keep: int, pool: int) -> int:
        """How many windows a search proposes for ``keep`` to be verified: ``pool`` for the
        window ranker to order when it is on (``rank_weight``) and that is more, else
        ``keep``; the ranker is asked only when this is more than ``keep``."""
        return max(keep, pool) if self.rank_weight > 0 else keep

    def _ranked_apart(
        self, work: np.ndarray, tpl: LogoTemplate, cands: list[Candidate],
        taken: list[Candidate], keep: int, ranked: bool,
    ) -> list[Candidate]:  # fmt: skip
        """A later round's ``keep`` windows: ``cands``, ordered by the window ranker when
        ``ranked``, the first that overlap none of the windows already verified (``taken``)."""
        if ranked:
            cands = rank(work, tpl, cands, weight=self.rank_weight)
        return [c for c in cands if all(c.overlap(t) < 0.5 for t in taken)][:keep]

    def _refine(
        self,
        gray: np.ndarray,
        work: np.ndarray,
        tpl: LogoTemplate,
        v: Verified,
        stats: dict[str, Any],
    ) -> tuple[Verified, float]:
        """``v`` and its score, or a better verification of the same LOGO when ``v`` scores just
        below the threshold (within ``refine_band``): verified again from the window of the
        quad it fitted, then from that window grown by each of ``refine_grow`` while still
        below (a grown one passes only ``refine_grow_margin`` above the threshold). The
        search's window on a LOGO is often only part of it (0.6-0.8 of its size); the start
        (0.9-1.1 of the window) cannot reach the whole, and the quad fitted to the part is
        as small. Still below: once more from the best quad, the warps fitted again on the
        optical flow (``refine_refit``; after the other tries, whose path it would change,
        and passing only by ``refine_grow_margin``)."""
        score = self._score(v)
        if not self._just_below(score):
            return v, score
        v2 = self._verify(
            gray, work, tpl, Candidate.around(v.quad), min_start=self.min_start, edges=True
        )
        stats["refined"] = stats.get("refined", 0) + 1
        score2 = self._score(v2) if v2 is not None else -1.0
        if v2 is not None and score2 > score:
            v, score = v2, score2
        if not self._just_below(score):
            return v, score
        around = Candidate.around(v.quad)
        for g in self.refine_grow:
            grown = Candidate(1.0, around.cx, around.cy, around.w * g, around.h * g)
            v3 = self._verify(gray, work, tpl, grown, min_start=self.min_start, edges=True)
            stats["grown"] = stats.get("grown", 0) + 1
            v, score = self._further_try(v, score, v3)
            if score >= self.threshold:
                break
        if self.refine_refit and self._just_below(score):
            v4 = self._verify(
                gray, work, tpl, Candidate.around(v.quad), min_start=self.min_start, edges=True,
                refit=True,
            )  # fmt: skip
            stats["refit"] = stats.get("refit", 0) + 1
            v, score = self._further_try(v, score, v4)
        return v, score

    def _further_try(
        self, v: Verified, score: float, tried: Verified | None
    ) -> tuple[Verified, float]:
        """``tried`` and its score in place of ``v`` when it scores higher, except that it
        must pass by ``refine_grow_margin``: each further try is one more chance for a
        look-alike too (nineteenth and fifty-first sessions)."""
        if tried is None:
            return v, score
        tried_score = self._score(tried)
        if self.threshold <= tried_score < self.threshold + self.refine_grow_margin:
            return v, score
        return (tried, tried_score) if tried_score > score else (v, score)

    def _just_below(self, score: float) -> bool:
        """Below the threshold by ``refine_band`` at most: worth verifying again."""
        return 0 < self.threshold - score <= self.refine_band

    def _verify(
        self, gray: np.ndarray, bgr: np.ndarray, tpl: LogoTemplate, cand: Candidate, *,
        min_start: float, edges: bool = False, refit: bool = False, tries: bool = True,
    ) -> Verified | None:  # fmt: skip
        """``verify.verify`` with this detector's settings; for a large candidate scoring below
        the threshold but at least ``keypoint_floor``, also the place its keypoints give
        (``keypoints.py``), scored the same way: the better counts. Then, below the threshold
        but at least ``occluder_floor``, the same place scored without what seems to be in
        front of the LOGO (``occluder.py``): the better counts. ``edges``: still below the
        threshold, also aligned on edge strength (``edge_floor``), which counts only by
        ``edge_margin``. ``refit``: both alignments' warps also fitted again on the optical
        flow (``verify._refit``; ``refine_refit``). Not ``tries``: the verification alone,
        none of the three (a reversed window, ``reversed_keep``)."""
        v = verify(
            gray,
            bgr,
            tpl,
            cand,
            size=self.verify_size,
            strict=self.strict_verify,
            grey_chroma=self.grey_chroma,
            min_start=min_start,
            learned=self.learned_weight > 0,
            hue_route=self.hue_route,
            turns=self.start_turns,
            half=self.start_half,
            refit=refit,
        )
        if v is None or not tries:
            return v
        score = self._score(v)
        if self.keypoint_min > 0 and self.keypoint_floor <= score < self.threshold:
            q = v.quad
            side = math.sqrt(float(np.linalg.norm(q[1] - q[0]) * np.linalg.norm(q[3] - q[0])))
            placed = fit_quad(bgr, tpl, q) if side >= self.keypoint_min else None
            v2 = None if placed is None else self._verify_at(gray, bgr, tpl, placed)
            score2 = self._score(v2) if v2 is not None else -1.0
            if v2 is not None and score2 > score:
                v, score = v2, score2
        if self.occluder > 0 and self.occluder_floor <= score < self.threshold:
            v3 = self._verify_at(gray, bgr, tpl, v.quad, occluder=self.occluder)
            score3 = self._score(v3) if v3 is not None else -1.0
            if v3 is not None and score3 > score:
                v, score = v3, score3
        if edges and 0 <= self.edge_floor <= score < self.threshold:
            v4 = verify_edges(
                gray, bgr, tpl, cand, size=self.verify_size, strict=self.strict_verify,
                grey_chroma=self.grey_chroma, learned=self.learned_weight > 0,
                hue_route=self.hue_route, refit=refit,
            )  # fmt: skip
            if v4 is not None and self._score(v4) >= max(score, self.threshold + self.edge_margin):
                v = v4
        return v

    def _verify_at(
        self, gray: np.ndarray, bgr: np.ndarray, tpl: LogoTemplate, quad: np.ndarray, *,
        occluder: float = 0.0,
    ) -> Verified | None:  # fmt: skip
        """``verify.verify_at`` with this detector's settings."""
        return verify_at(
            gray, bgr, tpl, quad, size=self.verify_size, strict=self.strict_verify,
            grey_chroma=self.grey_chroma, learned=self.learned_weight > 0, occluder=occluder,
            hue_route=self.hue_route,
        )  # fmt: skip

    def _smallest(self, tpl: LogoTemplate, f: float) -> float:
        """The smallest LOGO worth searching for, as the search measures it (geometric-mean
        side), at ``f`` working px per photo px."""
        tw, th = tpl.size
        return self.min_width * math.sqrt(th / tw) * f

    def _score(self, v: Verified) -> float:
        """One score, one threshold. Pixels: the mark's score, capped so that the whole LOGO
        (grey) and its colours (per channel) must agree too (each cap meets the mark's 0.84
        when its own score is at its minimum, ``whole_min``, ``colour_min``). Weighed with the
        gradient histograms and the detail: on set B's tune splits the pixels alone reached
        102 of 206 positives with one false hit, the three together 115 (features in
        ``verify.py``). Blended with the pair network's probability (``learned_weight``); a little
        more when the colours agree too (``layout_bonus``); the threshold at least when the
        network is sure and the gradients agree (``sure``)."""
        pixels = min(
            v.mark,
            v.whole + _PIXELS_AT - self.whole_min,
            v.colour + _PIXELS_AT - self.colour_min,
        )
        wp, wh, wd = self.weights
        hand = (wp * pixels + wh * v.hog + wd * v.detail) / (wp + wh + wd)
        score = (1.0 - self.learned_weight) * hand + self.learned_weight * v.learned
        if v.layout.comparable and v.layout.agreement >= self.layout_high:
            score = min(1.0, score + self.layout_bonus)  # its colours where the template has them
        if self._sure(v, score):
            score = max(score, self.threshold)
        if self._vetoed(v):
            score = min(score, self.threshold - self.refine_band - 0.01)
        return score

    def _vetoed(self, v: Verified) -> bool:
        """Colours laid out unlike the template's, in a print of several inks (``colour_veto``):
        (agreement below, off the one-ink line at least)."""
        if not self.colour_veto:
            return False
        below, line = self.colour_veto
        lay = v.layout
        return lay.comparable and lay.agreement < below and lay.photo_line >= line

    def _sure(self, v: Verified, score: float) -> bool:
        """The pair network sure and the gradient histograms agreeing (``sure``)."""
        sure_learned, sure_hog, sure_floor = self.sure
        return (
            sure_learned > 0
            and v.learned >= sure_learned
            and v.hog >= sure_hog
            and score >= sure_floor
        )

    def _match(
        self,
        score: float,
        q: np.ndarray,
        tpl: LogoTemplate,
        full: tuple[int, int],
        *,
        found: bool,
        threshold: float,
    ) -> LogoMatch:
        """The result for a verified quad ``q`` (TL, TR, BR, BL in full-resolution px)."""
        x0, y0 = np.floor(q.min(axis=0)).astype(int)
        x1, y1 = np.ceil(q.max(axis=0)).astype(int)
        width = 0.5 * (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3]))
        return LogoMatch(
            found=found,
            score=round(float(score), 4),
            bbox=(max(0, int(x0)), max(0, int(y0)), min(full[0], int(x1)), min(full[1], int(y1))),
            quad=tuple((float(x), float(y)) for x, y in q),  # type: ignore[arg-type]
            scale=float(width / tpl.size[0]),
            template=tpl.name,
            image_size=full,
            threshold=round(float(threshold), 4),
        )


_CLUTTER_PER_OCTAVE = 4  # the clutter calibration's search levels an octave (``_clutter_scores``)


def working_image(bgr: np.ndarray, max_side: int) -> np.ndarray:
    """``bgr`` shrunk (area averaging) to a long side of at most ``max_side``: the image the
    search and the verification see. Benchmarks that score at a known place use it too."""
    H0, W0 = bgr.shape[:2]
    f = min(1.0, max_side / max(H0, W0))
    if f >= 1:
        return bgr
    return cv2.resize(bgr, (round(W0 * f), round(H0 * f)), interpolation=cv2.INTER_AREA)


def warm_up(clutter_images: int = 6) -> None:
    """Do what the first detection of a process would otherwise do on its own time: load the
    networks (the window ranker, ``rank.py``, then the pair verifiers, ``learned.py``; the
    first network a process loads took ~10 ms, the others ~1 ms) and draw the clutter images
    (``clutter.py``, ~40 ms, and each in grey; as many as ``LogoDetector``'s default
    ``clutter_images``).
    (It also had OpenCV build its CIELAB tables, ~50 ms on the other core while the first
    photo was searched; ``layout.lab`` no longer asks OpenCV.) Needs no template. ``gkcheck
    logo``'s thread ahead loads just the networks with it (``clutter_images=0``; why then and
    not earlier: ``cli/vision._Ahead``); a long-lived caller (a server's worker) may want it
    all."""
    from . import learned
    from . import rank as ranker

    ranker.load_network()
    learned.load_network()
    learned.load_network(colour=True)
    for k in range(clutter_images):
        clutter_image(k, grey=True)  # draws the colour image too


class _Stopped(Exception):
    """``LogoDetector.prepare`` was asked to stop."""


def _read(p: str | Path) -> bytes:
    try:
        from gkcheck.safeio import read_limited

        return read_limited(Path(p))
    except OSError as exc:
        raise ImageDecodeError("io", f"cannot read {p}: {exc}") from exc
