"""The depth x activation explorer: how big a gradient reaches each layer of a deep network."""

from __future__ import annotations

import html

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np

from helpers.activations import ACTIVATIONS, get_activation
from helpers.mlp import INITS, gradient_profile
from helpers.plotting.gradients import (
    decade_limits,
    plot_gradient_profiles,
    set_gradient_profiles,
    set_layer_axis,
    set_log_limits,
)
from helpers.plotting.style import new_figure
from helpers.randomness import check_seed
from helpers.widgets.base import Demo

USUAL = "usual"

# Building the explorer computes one network of max_depth layers per activation on
# offer (eight networks), whose cost grows with width**2: width 2048 took 81 s to
# build, width 128 about nine times the default's time. These limits keep a build
# at a few seconds on a 2-core laptop.
MAX_WIDTH = 64
MAX_SAMPLES = 256
MAX_DEPTH = 100


def _check_size(value, name: str, maximum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise ValueError(
            f"{name} must be an integer from 1 to {maximum} (larger networks make the "
            f"explorer slow to build), got {value!r}"
        )


def usual_init(activation: str) -> str:
    """The initialisation an activation is normally used with.

    Sigmoid and tanh: ``"standard"`` (uniform on ±1/sqrt(n_in)), the common
    heuristic of their era (Glorot & Bengio 2010, eq. 1; still PyTorch's
    default for a linear layer). ReLU and its relatives: ``"he"``
    (He et al. 2015), designed for them.
    """
    name = get_activation(activation).name
    return "standard" if name in ("sigmoid", "tanh") else "he"


class DepthExplorer(Demo):
    """Drag depth, activation and weight scale: see the gradient reaching each layer.

    One forward and one backward pass through a real network at
    initialisation (``helpers.mlp.gradient_profile``): ``depth`` hidden layers
    of ``width`` units, a sigmoid output with cross-entropy. The figure shows
    the size of ``dL/da`` at each hidden layer on a log scale.

    Args:
        activation: the activation shown first, when one is shown at a time
            (the dropdown offers every key of ``helpers.ACTIVATIONS``).
        activations: instead, several names to show side by side on the same
            axes (no dropdown), e.g. ``("sigmoid", "tanh", "relu")``.
        depth: hidden layers to start with.
        weight_scale: multiplies every initial weight (1 = the scheme as published).
        init: ``"usual"`` (the scheme each activation is normally used with,
            see :func:`usual_init`) or one of ``helpers.mlp.INITS``
            (``"standard"``, ``"xavier"``, ``"he"``) for all of them.
        max_depth: the depth slider's maximum (50 by default, at most
            :data:`MAX_DEPTH`).
        width: units per hidden layer (at most :data:`MAX_WIDTH`).
        n_samples: inputs the gradient size is averaged over (at most
            :data:`MAX_SAMPLES`).
        seed: fixes the weights and inputs (an integer >= 0).
    """

    def __init__(
        self,
        activation: str = "sigmoid",
        *,
        activations=None,
        depth: int = 10,
        weight_scale: float = 1.0,
        init: str = USUAL,
        max_depth: int = 50,
        width: int = 32,
        n_samples: int = 32,
        seed: int = 0,
    ):
        if activations is None:
            shown = [get_activation(activation).name]
        else:
            if isinstance(activations, str):
                activations = (activations,)
            shown = [get_activation(name).name for name in activations]
            if not shown:
                raise ValueError("activations is empty: name at least one activation to show")
        if init != USUAL and init not in INITS:
            raise ValueError(
                f"unknown init {init!r}; choose {USUAL!r} or one of {', '.join(map(repr, INITS))}"
            )
        if isinstance(max_depth, bool) or not isinstance(max_depth, int) or max_depth < 1:
            raise ValueError(f"max_depth must be a positive integer, got {max_depth!r}")
        if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= max_depth:
            raise ValueError(f"depth must be an integer from 1 to {max_depth}, got {depth!r}")
        if not isinstance(weight_scale, (int, float)) or not 0.25 <= weight_scale <= 8:
            raise ValueError(f"weight_scale must be a number from 0.25 to 8, got {weight_scale!r}")
        _check_size(width, "width", MAX_WIDTH)
        _check_size(n_samples, "n_samples", MAX_SAMPLES)
        if max_depth > MAX_DEPTH:
            raise ValueError(f"max_depth must be at most {MAX_DEPTH}, got {max_depth}")
        seed = check_seed(seed)
        self.width, self.n_samples, self.seed = width, n_samples, seed
        self.max_depth = max_depth
        self._profiles: dict = {}

        controls = {
            "depth": widgets.IntSlider(
                value=depth, min=1, max=max_depth, step=1, description="depth (hidden layers)"
            ),
        }
        if activations is None:
            controls["activation"] = widgets.Dropdown(
                options=list(ACTIVATIONS), value=shown[0], description="activation"
            )
        controls["weight_scale"] = widgets.FloatLogSlider(
            value=weight_scale,
            base=2,
            min=-2,
            max=3,
            step=0.25,
            description="weight scale",
            readout_format=".2f",
        )
        controls["init"] = widgets.Dropdown(
            options=[("usual for the activation", USUAL)] + [(name, name) for name in INITS],
            value=init,
            description="init",
        )
        self._fixed = None if activations is None else shown

        # Room above the axes for the title and the weights note (scaled like new_figure's).
        figure, ax = new_figure(margins={"top": 0.8 * mpl.rcParams["font.size"] / 12})
        self.ax = ax
        profiles = [self._profile(name, depth, weight_scale, init) for name in shown]
        self._limits = self._y_limits(profiles, depth, float(weight_scale), init)
        self._x_max = _x_max(depth)
        self.artists = plot_gradient_profiles(
            profiles, ax=ax, max_depth=self._x_max, animated=True, limits=self._limits
        )
        ax.set_title(  # pad: room for the note, one line of small text, under the title
            "Gradient reaching each hidden layer, at initialisation",
            pad=1.7 * mpl.rcParams["font.size"],
        )
        # The weights the curves start from, between title and axes. Not animated
        # (text is slow to draw): it changes only with init and weight scale, and
        # is part of the background key.
        self.weights_note = ax.text(
            0.0,
            1.02,
            "",
            transform=ax.transAxes,
            fontsize="small",
            color="0.25",
            ha="left",
            va="bottom",
        )
        super().__init__(
            controls,
            figure,
            caption="The size of the gradient dL/da reaching each hidden layer of a freshly "
            "initialised network (log scale; layer 1 is next to the input, the output is to the "
            "right).",
        )

    # -- computing ----------------------------------------------------------------

    def _init_for(self, name: str, init: str) -> str:
        return usual_init(name) if init == USUAL else init

    def _profile(self, name: str, depth: int, weight_scale: float, init: str):
        key = (name, depth, float(weight_scale), self._init_for(name, init))
        if key not in self._profiles:
            if len(self._profiles) >= 512:  # a few hundred small arrays at most
                self._profiles.pop(next(iter(self._profiles)))
            self._profiles[key] = gradient_profile(
                depth,
                name,
                width=self.width,
                init=key[3],
                weight_scale=float(weight_scale),
                n_samples=self.n_samples,
                seed=self.seed,
            )
        return self._profiles[key]

    def _scale(self) -> float:
        # Without the browser's float noise (2**0.25 may arrive as 1.1892071150027212).
        return float(f"{float(self.value('weight_scale')):.12g}")

    def shown_activations(self) -> list[str]:
        """The activations drawn for the current controls."""
        return list(self._fixed) if self._fixed else [self.value("activation")]

    def current_profiles(self):
        """The ``GradientProfile`` of each activation shown, for the current controls."""
        depth, scale, init = self.value("depth"), self._scale(), self.value("init")
        return [self._profile(name, depth, scale, init) for name in self.shown_activations()]

    # -- drawing ---------------------------------------------------------------------

    def background_key(self):
        # The non-animated things that change: y limits and the weights note.
        return (self._limits, self._x_max, self.weights_note.get_text())

    def _y_limits(self, profiles, depth, scale, init):
        """Log limits that fit the curves shown and every activation on offer at this
        weight scale and init, at the x axis's last layer (the depth rounded up to
        10): switching the activation keeps the axes, so the eye compares one
        activation's curve with the last one's, and the curves fill the height.
        Rounded out to 2 decades, so dragging the depth seldom redraws the axes;
        the deeper networks are computed once per block of 10 depths, not per depth."""
        names = self._fixed or list(ACTIVATIONS)  # the dropdown offers every one
        block = [self._profile(name, _x_max(depth), scale, init) for name in names]
        return decade_limits(np.concatenate([p.backprop_norm for p in profiles + block]), block=2)

    def update(self) -> str:
        profiles = self.current_profiles()
        note = self._weights_note(profiles)
        if note != self.weights_note.get_text():
            self.weights_note.set_text(note)
        limits = self._y_limits(profiles, self.value("depth"), self._scale(), self.value("init"))
        if limits != self._limits:
            set_log_limits(self.ax, *limits)
            self._limits = limits
        if _x_max(self.value("depth")) != self._x_max:
            self._x_max = _x_max(self.value("depth"))
            set_layer_axis(self.ax, self._x_max)
        set_gradient_profiles(self.artists, profiles)  # after the limits: labels are spaced in them
        return self._readout(profiles)

    def _weights_note(self, profiles) -> str:
        """For example "initial weights: the usual init (sigmoid: standard)".

        The weight scale is left out: it is on its slider and in the readout, and
        this note is part of the background, which should not change on every step.
        """
        if self.value("init") != USUAL:
            return f"initial weights: {profiles[0].init} init for every activation"
        usual = "; ".join(f"{p.activation}: {p.init}" for p in profiles)
        return f"initial weights: the usual init ({usual})"

    def _readout(self, profiles) -> str:
        depth = self.value("depth")
        lines = []
        for profile in profiles:
            values = profile.backprop_norm
            first, last = float(values[0]), float(values[-1])
            init = profile.init
            how = f"{init} init" + (" (usual for it)" if self.value("init") == USUAL else "")
            line = (
                f"<b>{html.escape(profile.activation)}</b>, {depth} hidden layer"
                f"{'s' if depth != 1 else ''}, {how}, weights × {profile.weight_scale:.2f}: "
                f"gradient at layer 1 = {_fmt(first)}, at layer {depth} = {_fmt(last)}"
            )
            if depth > 1:
                if last > 0:
                    ratio = first / last
                    line += f"; first/last = {_fmt(ratio)}"
                    if ratio > 0:
                        line += f" (× {ratio ** (1 / (depth - 1)):.3g} per layer)"
                else:
                    line += "; first/last undefined (no gradient reaches the last layer)"
            if profile.activation == "sigmoid" and depth > 1:
                # The notes' chain of single units, not a bound for 32-wide layers.
                line += (
                    f"; the notes' best case for a chain of single sigmoid units with |w| ≤ 1: "
                    f"0.25<sup>{depth - 1}</sup> = {_fmt(0.25 ** (depth - 1))}"
                )
            every = ", ".join(_fmt(float(v)) for v in values)
            line += f"<details><summary>every layer, 1 to {depth}</summary>{every}</details>"
            lines.append(line)
        return "<br>".join(lines)


def _x_max(depth: int) -> int:
    """The x axis's last layer: the depth rounded up to 10 (so few depths redraw the axes)."""
    return max(10, -(-depth // 10) * 10)


def _fmt(value: float) -> str:
    """Three significant digits; 0 said plainly."""
    return "0" if value == 0 else f"{value:.3g}"
