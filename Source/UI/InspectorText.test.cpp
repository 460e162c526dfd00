// CueGrid — GPL-3.0-or-later
#include "UI/InspectorText.h"

#include <catch2/catch.hpp>

using namespace cuegrid::inspectorText;

TEST_CASE ("Inspector fields: empty is the default, plain decimals are numbers, anything else is refused")
{
    CHECK (parseNumber ("").ok);
    CHECK_FALSE (parseNumber ("  ").value.has_value());
    CHECK (parseNumber ("250").value == 250.0);
    CHECK (parseNumber (" 1.5 ").value == 1.5);
    CHECK (parseNumber ("-3.5").value == -3.5);
    CHECK (parseNumber ("+0.25").value == 0.25);
    CHECK (parseNumber (".5").value == 0.5);
    CHECK (parseNumber ("2.").value == 2.0);
    for (const char* bad : { "1,5", "2 s", "1e3", "nan", "inf", "--1", "+-1", "1-", "1.2.3", ".", "-", "+", "abc", "0x10" })
    {
        INFO (bad);
        CHECK_FALSE (parseNumber (bad).ok);
        CHECK_FALSE (parseNumber (bad).value.has_value());
    }
}

TEST_CASE ("Inspector fields show seconds with 3 decimals, more when finer than 1 ms, and ms as they are")
{
    CHECK (formatSeconds (1.25) == "1.250");
    CHECK (formatSeconds (0.0) == "0.000");
    CHECK (formatSeconds (1.142) == "1.142");
    CHECK (formatSeconds (0.0505) == "0.0505");
    CHECK (formatSeconds (2.0000004) == "2.000");    // below a microsecond: not shown
    CHECK (formatSeconds (-0.0000001) == "0.000");
    CHECK (formatMs (250.0) == "250");
    CHECK (formatMs (12.5) == "12.5");
    CHECK (formatMs (0.25) == "0.25");
    CHECK (formatMs (3000.0) == "3000");
    // What is shown parses back to what is stored (to the microsecond for seconds).
    for (double seconds : { 0.001, 0.0505, 1.142, 4.283288, 123.456789 })
        CHECK (std::abs (*parseNumber (formatSeconds (seconds)).value - seconds) < 5e-7);
}
