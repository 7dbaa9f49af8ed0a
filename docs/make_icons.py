"""Draws the app icons into assets/icons/ (run once; the PNGs are committed).

    pip install pillow && python docs/make_icons.py

The mark is a calm "breathing circle": a ring with a leaf-shaped pair of arcs,
white on the app's teal. Maskable icons keep the mark inside the 80% safe zone.
"""

from pathlib import Path

from PIL import Image, ImageDraw

TEAL = (31, 95, 91, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "assets" / "icons"


def draw_mark(size: int, scale: float, rounded: bool) -> Image.Image:
    big = size * 4  # supersample for smooth edges
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if rounded:
        draw.rounded_rectangle((0, 0, big, big), radius=big * 0.22, fill=TEAL)
    else:
        draw.rectangle((0, 0, big, big), fill=TEAL)
    centre, radius = big / 2, big * 0.30 * scale
    width = max(4, int(big * 0.045 * scale))
    draw.ellipse((centre - radius, centre - radius, centre + radius, centre + radius),
                 outline=WHITE, width=width)
    inner = radius * 0.52
    draw.ellipse((centre - inner, centre - inner, centre + inner, centre + inner), fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw_mark(192, 1.0, rounded=True).save(OUT / "icon-192.png", optimize=True)
    draw_mark(512, 1.0, rounded=True).save(OUT / "icon-512.png", optimize=True)
    draw_mark(512, 0.78, rounded=False).save(OUT / "maskable-512.png", optimize=True)
    draw_mark(180, 0.9, rounded=False).convert("RGB").save(OUT / "apple-touch-icon.png",
                                                           optimize=True)
    draw_mark(32, 1.0, rounded=True).save(OUT.parent / "favicon.ico", sizes=[(32, 32)])


if __name__ == "__main__":
    main()
