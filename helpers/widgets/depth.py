"""The depth x activation explorer: how big a gradient reaches each layer of a deep network.

Also the skip-connection and normalisation controls the lab shares, and their readout words.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

from helpers.activations import ACTIVATIONS, get_activation
from helpers.mlp import INITS, gradient_profile
from helpers.plotting.gradients import (
    plot_gradient_profiles,
    set_gradient_profiles,
    set_layer_axis,
    set_log_limits,
)
from helpers.plotting.style import new_figure
from helpers.randomness import check_seed
from helpers.widgets.base import Demo, keep, slider

USUAL = "usual"
# ``norm=`` of ``helpers.mlp`` -> how the readouts say it.
NORMS = {"none": "no normalisation", "batch": "batch norm", "layer": "layer norm"}

# A build computes a network of max_depth layers per activation on offer (eight), at a cost
# growing with width**2 (width 2048 took 81 s, width 128 nine times the default's time):
# these limits keep a build at a few seconds on a 2-core laptop.
MAX_WIDTH, MAX_SAMPLES, MAX_DEPTH = 64, 256, 100


def _check_int(value, name: str, high: int, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return value


def option_controls(skip: bool, norm: str) -> dict:
    """The skip-connection and normalisation dropdowns, as the lab and the explorer offer them."""
    if norm not in NORMS:  # (a bad skip is refused by helpers.mlp)
        raise ValueError(f"norm must be one of {', '.join(map(repr, NORMS))}, got {norm!r}")
    norms = [(label.removesuffix(" normalisation"), key) for key, label in NORMS.items()]
    return {
        "skip": widgets.Dropdown(
            options=[("off", False), ("on", True)], value=skip, description="skip connections"
        ),
        "norm": widgets.Dropdown(options=norms, value=norm, description="normalisation"),
    }


def describe_options(skip: bool, norm: str) -> str:
    """What is on, in the readouts' words: "skip connections, batch norm"."""
    return f"{'skip connections' if skip else 'no skip connections'}, {NORMS[norm]}"


def usual_init(activation: str) -> str:
    """The initialisation an activation is normally used with: ``"standard"`` (uniform on
    ±1/sqrt(n_in), the heuristic of their era, Glorot & Bengio 2010 eq. 1) for sigmoid and
    tanh, ``"he"`` (He et al. 2015, designed for them) for ReLU and its relatives."""
    return "standard" if get_activation(activation).name in ("sigmoid", "tanh") else "he"


class DepthExplorer(Demo):
    """Depth, activation, weights, skips and normalisation: the gradient reaching each layer.

    The size of ``dL/da`` at each hidden layer, on a log scale, from one forward and one
    backward pass at initialisation (``helpers.mlp.gradient_profile``: ``depth`` hidden
    layers of ``width`` units, a sigmoid output with cross-entropy).

    Args:
        activation: the one shown first (the dropdown offers every activation), or
        activations: several shown side by side (no dropdown), e.g. ``("sigmoid", "relu")``.
        depth: hidden layers to start with (the slider goes to ``max_depth`` <= :data:`MAX_DEPTH`).
        weight_scale: multiplies every initial weight (1 = the scheme as published).
        init: ``"usual"`` (:func:`usual_init` of each activation) or one of ``helpers.mlp.INITS``.
        skip, norm: residual connections and normalisation (as in ``helpers.mlp``).
        width, n_samples: units per hidden layer and inputs the gradient size is averaged
            over (at most :data:`MAX_WIDTH`, :data:`MAX_SAMPLES`); seed: weights and inputs.
    """

    def __init__(
        self,
        activation: str = "sigmoid",
        *,
        activations=None,
        depth: int = 10,
        weight_scale: float = 1.0,
        init: str = USUAL,
        skip: bool = False,
        norm: str = "none",
        max_depth: int = 50,
        width: int = 32,
        n_samples: int = 32,
        seed: int = 0,
    ):
        if isinstance(activations, str):
            activations = (activations,)
        names = [activation] if activations is None else list(activations)
        if not names:
            raise ValueError("activations is empty: name at least one activation to show")
        shown = [get_activation(name).name for name in names]
        if init != USUAL and init not in INITS:
            raise ValueError(
                f"unknown init {init!r}; choose {USUAL!r} or one of {', '.join(map(repr, INITS))}"
            )
        if isinstance(max_depth, bool) or not isinstance(max_depth, int) or max_depth < 1:
            raise ValueError(f"max_depth must be a positive integer, got {max_depth!r}")
        if max_depth > MAX_DEPTH:
            raise ValueError(f"max_depth must be at most {MAX_DEPTH}, got {max_depth}")
        if not isinstance(weight_scale, (int, float)) or not 0.25 <= weight_scale <= 8:
            raise ValueError(f"weight_scale must be a number from 0.25 to 8, got {weight_scale!r}")
        self.width = _check_int(width, "width", MAX_WIDTH)
        self.n_samples = _check_int(n_samples, "n_samples", MAX_SAMPLES)
        self.seed, self.max_depth = check_seed(seed), max_depth
        self._network = {"width": width, "n_samples": n_samples, "seed": self.seed}
        self._fixed = None if activations is None else shown
        self._profiles: dict = {}

        controls = {"depth": slider("depth (hidden layers)", depth, 1, max_depth, 1, name="depth")}
        if activations is None:
            controls["activation"] = widgets.Dropdown(
                options=list(ACTIVATIONS), value=shown[0], description="activation"
            )
        log2 = {"base": 2, "min": -2, "max": 3, "step": 0.25, "readout_format": ".2f"}  # 0.25..8
        controls["weight_scale"] = widgets.FloatLogSlider(
            value=weight_scale, description="weight scale", **log2
        )
        inits = [("usual for the activation", USUAL), *((name, name) for name in INITS)]
        controls["init"] = widgets.Dropdown(options=inits, value=init, description="init")
        controls |= option_controls(skip, norm)
        self.controls = controls  # current_profiles() reads them before Demo.__init__

        # Room above the axes for the title and two lines of notes (scaled like new_figure's).
        size = mpl.rcParams["font.size"]
        figure, ax = new_figure(margins={"top": 1.05 * size / 12})
        self.ax = ax
        profiles = self.current_profiles()
        self._limits = self._y_limits(profiles)
        self._x_max = _x_max(depth)
        self.artists = plot_gradient_profiles(
            profiles, ax=ax, max_depth=self._x_max, animated=True, limits=self._limits
        )
        ax.set_title("Gradient reaching each hidden layer, at initialisation", pad=2.9 * size)
        # Under the title: what is switched on, then the initial weights. Not animated
        # (text is slow to draw): they change only with the dropdowns and the weight
        # scale, and are part of the background key.
        note = {"xycoords": "axes fraction", "textcoords": "offset points", "fontsize": "small"}
        self.options_note = ax.annotate("", (0, 1.02), (0, 1.2 * size), color="0.25", **note)
        self.weights_note = ax.annotate("", (0, 1.02), (0, 0), color="0.25", **note)
        self.notes = (self.options_note, self.weights_note)
        super().__init__(
            controls,
            figure,
            caption="The size of the gradient dL/da reaching each hidden layer of a freshly "
            "initialised network (log scale; layer 1 is next to the input, the output is to the "
            "right). The note above the axes on the right says whether skip connections and "
            "normalisation are on.",
        )

    def _profile(self, name: str, depth: int):
        init = usual_init(name) if self.value("init") == USUAL else self.value("init")
        settings = {"init": init, "weight_scale": self._scale()}
        settings |= {"skip": self.value("skip"), "norm": self.value("norm")}
        key = (name, depth, *settings.values())
        if key not in self._profiles:  # 512: a few hundred small arrays at most
            profile = gradient_profile(depth, name, **settings, **self._network)
            keep(self._profiles, key, profile, 512)
        return self._profiles[key]

    def _scale(self) -> float:
        # Without the browser's float noise (2**0.25 may arrive as 1.1892071150027212).
        return float(f"{float(self.value('weight_scale')):.12g}")

    def current_profiles(self):
        """The ``GradientProfile`` of each activation shown, for the current controls."""
        names = self._fixed or [self.value("activation")]
        return [self._profile(name, self.value("depth")) for name in names]

    def background_key(self):  # the non-animated things that change
        return (self._limits, self._x_max, *(note.get_text() for note in self.notes))

    def _y_limits(self, profiles):
        """Whole decades, half a decade below the lowest value and 0.9 above the highest, at
        least 2, in blocks of 2 (5) once the curves span 10 (30): a function of the controls
        alone, changing only when a curve crosses a block (a slider seldom redraws the axes)."""
        values = np.concatenate([p.backprop_norm for p in profiles])
        values = np.log10(values[np.isfinite(values) & (values > 0)])
        if values.size == 0:
            return 10.0**-1, 10.0**1
        smallest, largest = float(values.min()), float(values.max())
        block = 1 if largest - smallest <= 10 else 2 if largest - smallest <= 30 else 5
        low = math.floor((smallest - 0.5) / block) * block
        high = math.ceil((largest + 0.9) / block) * block  # room for a curve's name
        if high - low < 2:  # one decade: widen on the side the curve is nearer
            low, high = (low - 1, high) if smallest - low < high - largest else (low, high + 1)
        return 10.0 ** max(low, -320), 10.0 ** min(high, 300)

    def update(self) -> str:
        profiles = self.current_profiles()
        self.weights_note.set_text(self._weights_note(profiles))
        network = describe_options(self.value("skip"), self.value("norm"))
        self.options_note.set_text(f"network: {network}")
        limits = self._y_limits(profiles)
        if limits != self._limits:
            set_log_limits(self.ax, *limits)
            self._limits = limits
        if _x_max(self.value("depth")) != self._x_max:
            self._x_max = _x_max(self.value("depth"))
            set_layer_axis(self.ax, self._x_max)
        set_gradient_profiles(self.artists, profiles)  # after the limits: labels are spaced in them
        return "<br>".join(self._readout(profile, network) for profile in profiles)

    def _weights_note(self, profiles) -> str:
        """The note "initial weights: the usual init (sigmoid: standard)"; scale: readout."""
        if self.value("init") != USUAL:
            return f"initial weights: {profiles[0].init} init for every activation"
        usual = "; ".join(f"{p.activation}: {p.init}" for p in profiles)
        return f"initial weights: the usual init ({usual})"

    def _readout(self, profile, network: str) -> str:
        depth, values = self.value("depth"), profile.backprop_norm
        first, last = float(values[0]), float(values[-1])
        how = f"{profile.init} init" + (" (usual for it)" if self.value("init") == USUAL else "")
        plain = not self.value("skip") and self.value("norm") == "none"
        line = (
            f"<b>{html.escape(profile.activation)}</b>, {depth} hidden layer"
            f"{'s' if depth != 1 else ''}, {how}, weights × {profile.weight_scale:.2f}, {network}: "
            f"gradient at layer 1 = {_fmt(first)}, at layer {depth} = {_fmt(last)}"
        )
        if depth > 1 and last > 0:
            ratio = first / last
            line += f"; first/last = {_fmt(ratio)}"
            if ratio > 0:
                line += f" (× {ratio ** (1 / (depth - 1)):.3g} per layer)"
        elif depth > 1:
            line += "; first/last undefined (no gradient reaches the last layer)"
        if profile.activation == "sigmoid" and depth > 1 and plain:
            # The notes' chain of single units, not a bound for 32-wide layers.
            line += (
                f"; the notes' best case for a chain of single sigmoid units with |w| ≤ 1: "
                f"0.25<sup>{depth - 1}</sup> = {_fmt(0.25 ** (depth - 1))}"
            )
        every = ", ".join(_fmt(float(v)) for v in values)
        return line + f"<details><summary>every layer, 1 to {depth}</summary>{every}</details>"


def _x_max(depth: int) -> int:
    """The x axis's last layer: the depth rounded up to 10 (so few depths redraw the axes)."""
    return max(10, -(-depth // 10) * 10)


def _fmt(value: float) -> str:
    """Three significant digits; 0 said plainly."""
    return "0" if value == 0 else f"{value:.3g}"
