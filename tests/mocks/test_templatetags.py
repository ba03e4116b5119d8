from prep.mocks.templatetags.mocks_tags import score_cells


def test_score_cells_show_a_meter_and_the_figure_or_a_dash():
    html = score_cells([3, None, 2.5])
    assert html.count("<td ") == 3
    assert '<meter min="0" max="4" low="2.5" high="3.5" optimum="4" value="3"' in html
    assert "<span>3</span>" in html and "<span>2.5</span>" in html
    assert '<td class="num score-cell">—</td>' in html
