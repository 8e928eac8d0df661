"""The kit's text never shrinks, and its layouts measure text to place items (or choose another)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsObject, QGraphicsScene

from szkiosk.content.schema import Theme
from szkiosk.kit.layout import Breathe, Card, Column, Grid, Masonry, Row, Space, Text, Visual, choose, fit
from szkiosk.kit.text import ROLES, TextItem, TextStyle, lay_out, natural_width
from szkiosk.kit.theme import QtTheme


class Root(QGraphicsObject):
    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, 1920, 1080)

    def paint(self, *args: object) -> None:
        """Nothing."""


@pytest.fixture
def root(qapp):
    scene = QGraphicsScene()
    item = Root()
    scene.addItem(item)
    yield item
    scene.clear()


def body(language: str = "en", px: float = 32) -> TextStyle:
    return TextStyle(ROLES["body"], px, QColor("white"), language)


def test_text_reflows_at_a_narrower_width_and_keeps_its_size(root) -> None:
    text = "Shenzhen's convention and exhibition industry has prospered."
    wide = TextItem(text, body(), QRectF(0, 0, 1600, 0), parent=root)
    narrow = TextItem(text, body(), QRectF(0, 0, 300, 0), parent=root)
    assert len(wide.lines) == 1 and len(narrow.lines) >= 3
    assert wide.px == narrow.px == 32
    assert narrow.used_height > wide.used_height
    assert not narrow.elided and not narrow.overflow


def test_max_lines_cuts_with_an_ellipsis_and_says_so(root) -> None:
    item = TextItem("one two three four five six seven eight", body(), QRectF(0, 0, 200, 0), max_lines=1, parent=root)
    assert item.elided and item.lines[0].endswith("…")
    assert natural_width(item.lines[0], body()) <= 200


def test_theme_roles_scale_with_large_text_and_keep_their_floor() -> None:
    plain = QtTheme(Theme())
    large = QtTheme(Theme().model_copy(update={"body_size": round(32 * 1.4)}), 1.4)
    assert large.style("body").px == pytest.approx(32 * 1.4, abs=1)
    assert large.role("body").floor == pytest.approx(plain.role("body").floor * 1.4)
    assert plain.style("body", step=0.5).px == plain.role("body").floor, "a step down stops at the floor"


def test_chinese_lines_get_more_leading() -> None:
    en = lay_out("one two three four five six seven", body(), 120)
    zh = lay_out("深圳拥有腾讯华为等创新型企业和研发人员", body("zh"), 120)
    assert zh.step > en.step


def test_column_stacks_and_gives_spare_height_to_flex(root) -> None:
    made = []
    col = Column([Text("Headline", body()), Visual(lambda r, p: made.append(QRectF(r)), min_h=100), Space(20)], gap=10)
    need = col.min_height(800)
    assert need == pytest.approx(lay_out("Headline", body(), 800).height + 100 + 20 + 20)
    col.place(QRectF(0, 0, 800, need + 300), root)
    assert made[0].height() == pytest.approx(400), "the visual took the spare 300 px"


def test_row_basis_natural_and_grow(root) -> None:
    number = Text("23,000", TextStyle(ROLES["display"], 112, QColor("white")))
    unit = Text("enterprises", body())
    row = Row([number, unit], gap=16, basis=["natural", 0.0], grow=[0.0, 1.0])
    widths = row.widths(900)
    assert widths[0] == pytest.approx(number.natural_width())
    assert widths[0] + 16 + widths[1] == pytest.approx(900)


def test_grid_rows_share_the_tallest_cells_height(root) -> None:
    cells = [Text("short", body()), Text("a much longer label that wraps onto lines", body()), Text("x", body())]
    grid = Grid(cells, 3, gap=20)
    grid.place(QRectF(0, 0, 900, grid.min_height(900)), root)
    assert grid.rows == 1
    assert grid.min_height(900) == pytest.approx(max(c.min_height(grid.cell_width(900)) for c in cells))


def test_masonry_fills_the_shortest_column(root) -> None:
    tall = Visual(lambda r, p: None, min_h=300, flex=0)
    small = [Visual(lambda r, p: None, min_h=100, flex=0) for _ in range(3)]
    m = Masonry([tall, *small], 2, gap=10, row_gap=10)
    assert m.min_height(1000) == pytest.approx(320), "three small ones stack beside the tall one"


def test_card_pads_its_child(root) -> None:
    card = Card(Text("Talent Day", body()), QColor("navy"), padding=(30, 20, 30, 20), accent=QColor("red"))
    assert card.min_height(500) == pytest.approx(Text("Talent Day", body()).min_height(500 - 70) + 40)
    card.place(QRectF(0, 0, 500, card.min_height(500)), root)
    assert card.item is not None and card.item.rect.width() == 500


def test_choose_takes_the_first_arrangement_that_fits() -> None:
    words = " ".join(["exhibition"] * 40)
    rect = QRectF(0, 0, 1000, 200)
    one_row = Row([Text(words, body()), Text(words, body())], gap=20)
    stacked = Column([Text(words, body())])
    tiny = Text("ok", body())
    node, result = choose([one_row, stacked, tiny], rect)
    assert node is tiny and result.ok
    assert not fit(one_row, rect).ok
    node, result = choose([one_row, stacked], rect)
    assert not result.ok and node is stacked, "nothing fits: the least overflowing"


def test_a_visual_grows_no_taller_than_its_aspect_and_the_column_centres_the_rest(root) -> None:
    made = []
    chart = Visual(lambda r, p: made.append(QRectF(r)), min_h=100, aspect=0.75)
    col = Column([Text("41.1", body()), chart], gap=10, justify="center")
    need = col.min_height(800)
    assert chart.max_height(800) == pytest.approx(600), "4:3 at 800 px wide"
    col.place(QRectF(0, 0, 800, need + 1000), root)
    assert made[0].height() == pytest.approx(600), "the chart stops at 4:3"
    spare = 1000 - 500
    assert made[0].top() == pytest.approx(spare / 2 + Text("41.1", body()).min_height(800) + 10), \
        "what the chart leaves is air split above and below the group"


def test_a_column_without_caps_gives_all_spare_to_flex_as_before(root) -> None:
    made = []
    col = Column([Visual(lambda r, p: made.append(QRectF(r)), min_h=100), Space(20)], gap=10, justify="center")
    col.place(QRectF(0, 0, 800, 1000), root)
    assert made[0].top() == 0 and made[0].height() == pytest.approx(970)


def test_spare_goes_first_to_flex_children_then_to_even_air(root) -> None:
    made = []
    a = Visual(lambda r, p: made.append(QRectF(r)), min_h=100, max_h=150)
    b = Visual(lambda r, p: made.append(QRectF(r)), min_h=100, max_h=400, flex=1.0)
    col = Column([a, b], gap=0, justify="even")
    assert col.max_height(500) == pytest.approx(550)
    col.place(QRectF(0, 0, 500, 850), root)
    assert [r.height() for r in made] == pytest.approx([150, 400]), "each takes its share up to its most"
    # 300 px left over: a third above, between and below
    assert made[0].top() == pytest.approx(100) and made[1].top() == pytest.approx(350)


def test_capped_space_gives_a_card_bounded_air(root) -> None:
    inner = Column([Space(flex=1, max_h=40), Text("24 Aug 2020", body()), Space(flex=1, max_h=40)])
    card = Card(inner, QColor("navy"), padding=(20, 20, 20, 20))
    least = card.min_height(500)
    assert card.max_height(500) == pytest.approx(least + 80)
    col = Column([card], justify="center")
    col.place(QRectF(0, 0, 500, 1000), root)
    assert card.item is not None and card.item.rect.height() == pytest.approx(least + 80)
    assert card.item.rect.top() == pytest.approx((1000 - least - 80) / 2)


def test_a_flex_grid_stops_its_rows_at_their_cells_most(root) -> None:
    made = []
    cells = [Visual(lambda r, p: made.append(QRectF(r)), min_h=50, max_h=120) for _ in range(4)]
    grid = Grid(cells, 2, gap=10)
    assert grid.max_height(410) == pytest.approx(250)
    Column([grid], justify="center").place(QRectF(0, 0, 410, 1000), root)
    assert all(r.height() == pytest.approx(120) for r in made)
    assert made[0].top() == pytest.approx((1000 - 250) / 2)


def test_a_filling_column_takes_the_spare_and_centres_its_group_under_a_lead(root) -> None:
    made = []
    lead = Text("Shenzhen tries reforms first", body())
    group = Visual(lambda r, p: made.append(QRectF(r)), min_h=100, max_h=200)
    col = Column([lead, Column([group], justify="center", fill=True)])
    assert col.max_height(800) is None
    col.place(QRectF(0, 0, 800, 1000), root)
    top = lead.min_height(800)
    assert made[0].height() == pytest.approx(200)
    assert made[0].top() == pytest.approx(top + (1000 - top - 200) / 2)


def test_a_breathing_group_takes_one_amount_of_air_up_to_its_most(root) -> None:
    spaces = [Space(0.0), Space(10.0), Space(0.0)]
    bases = [0.0, 10.0, 0.0]

    def widen(amount: float) -> None:
        for space, base in zip(spaces, bases, strict=True):
            space.height = base + amount

    made = []
    group = Breathe(Column([spaces[0], Visual(lambda r, p: made.append(QRectF(r)), min_h=100, flex=0),
                            spaces[1], spaces[2]]), widen, most=40.0)
    assert group.min_height(500) == pytest.approx(110)
    assert group.max_height(500) == pytest.approx(230)
    Column([group], justify="center").place(QRectF(0, 0, 500, 1000), root)
    assert made[0].top() == pytest.approx((1000 - 230) / 2 + 40), "all its air, then centred"
    made.clear()
    Column([Breathe(group.child, widen, most=40.0)]).place(QRectF(0, 0, 500, 170), root)
    assert made[0].top() == pytest.approx(20, abs=0.5), "room for 20 px more in each of three spaces"


def _ink_left(image, top: float, bottom: float) -> int | None:
    """The leftmost column with ink (bright pixels) between rows ``top`` and ``bottom``."""
    for x in range(image.width()):
        for y in range(max(0, int(top)), min(image.height(), int(bottom))):
            if QColor(image.pixel(x, y)).lightness() > 128:
                return x
    return None


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_list_items_wrapped_lines_hang_under_its_text_not_its_bullet(root, language: str) -> None:
    """Drawn, not only laid out: a bullet item's second line starts where the first line's
    text starts (after "• "), and a plain paragraph's wrapped line starts at the margin."""
    from PySide6.QtGui import QImage, QPainter

    item_text = ("• Action to accelerate the industrialization of R&D results" if language == "en"
                 else "• 科研成果产业化加速行动与全球一流科技创新人才向往集聚地")
    plain = "Action to accelerate the industrialization of R&D results"
    style = body(language)
    width = 420 if language == "en" else 360
    bullet = TextItem(f"{item_text}\nplain line", style, QRectF(20, 10, width, 0), parent=root)
    para = TextItem(plain, style, QRectF(20, 10, width, 0))
    assert len(bullet.lines) >= 3 and bullet.lines[0].startswith("• ") and bullet.lines[-1] == "plain line"
    hang = natural_width("• ", style)
    rects = bullet.line_rects()
    assert rects[0].left() == pytest.approx(20)
    assert rects[1].left() == pytest.approx(20 + hang)  # the item's wrapped line
    assert rects[-1].left() == pytest.approx(20)  # the next paragraph is not indented
    assert all(r.right() <= 20 + width + 0.5 for r in rects)

    def drawn(text_item: TextItem) -> QImage:
        image = QImage(20 + width + 40, int(text_item.used_height) + 40, QImage.Format.Format_RGB32)
        image.fill(QColor("black"))
        painter = QPainter(image)
        text_item.paint(painter, None)
        painter.end()
        return image

    image = drawn(bullet)
    first_text = _ink_left(image, rects[0].top(), rects[0].bottom())
    second = _ink_left(image, rects[1].top(), rects[1].bottom())
    assert first_text is not None and second is not None
    assert first_text < 20 + hang / 2  # the bullet sits at the margin
    assert abs(second - (20 + hang)) <= 4  # the wrapped line starts under the text
    plain_image = drawn(para)
    plain_rects = para.line_rects()
    assert len(plain_rects) >= 2
    assert _ink_left(plain_image, plain_rects[1].top(), plain_rects[1].bottom()) <= 20 + 4
