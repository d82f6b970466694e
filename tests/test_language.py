"""Language identification per language, on the texts lingua alone gets wrong:
Cyrillic typed in Latin letters, Vietnamese without tone marks, no diacritics."""

import pytest

pytestmark = pytest.mark.integration

CASES = [
    ("da", "chefen har taget mit pas og jeg maa ikke gaa ud alene"),
    ("da", "Jeg arbejder på et lager og får ikke min løn"),
    ("en", "my boss keeps my passport and i cant leave"),
    ("ro", "seful mi-a luat pasaportul si nu ma lasa sa plec"),
    ("ro", "Șeful nu mă plătește de trei luni"),
    ("bg", "shefat mi vze pasporta i kazva che mu dalzha pari"),
    ("bg", "Шефът не ми плаща заплатата от два месеца"),
    ("es", "mi jefe tiene mi pasaporte y no me deja salir"),
    ("th", "นายจ้างไม่จ่ายเงินเดือนให้ฉันสามเดือนแล้ว"),
    ("vi", "chu lay ho chieu cua toi va khong cho toi ra ngoai"),
    ("vi", "Chủ không trả lương cho tôi ba tháng rồi"),
    ("uk", "bos zabrav miy pasport i ne vidpuskaye mene dodomu"),
    ("uk", "Роботодавець не платить мені зарплату вже три місяці"),
]


@pytest.mark.parametrize("language, text", CASES)
def test_language(screener, language, text):
    assert screener.screen([text])[0]["language"] == language


@pytest.mark.parametrize("text", ["ok", "555", "🙏", "ja", ""])
def test_too_short_to_tell(screener, text):
    assert screener.screen([text])[0]["language"] is None
