// CueGrid — GPL-3.0-or-later
// Catch2 main for every test executable. Two warnings are always errors, so that no test can
// pass without running: a test case that makes no assertion (NoAssertions), and a test
// spec that matches no test case (NoTests; e.g. a name CTest split at ';'). Catch2 v2's
// command line takes only one -w, so they are set here.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

int main (int argc, char* argv[])
{
    Catch::Session session;
    if (const auto code = session.applyCommandLine (argc, argv); code != 0)
        return code;
    auto& config = session.configData();
    config.warnings = static_cast<Catch::WarnAbout::What> (config.warnings | Catch::WarnAbout::NoAssertions
                                                           | Catch::WarnAbout::NoTests);
    return session.run();
}
