// CueGrid — GPL-3.0-or-later
// The engine's clock marks (mirroring): each callback's place on the timeline, and which
// callback received a command, so a primary stamps an action with the sample it ran at.
#include "Engine/Engine.h"

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

using namespace cuegrid;

TEST_CASE ("Engine clock marks: every callback's block start, and the callback that received a command")
{
    Engine engine;
    engine.prepare (48000.0, 128);
    std::vector<float> left (128), right (128);
    float* outputs[] { left.data(), right.data() };
    EngineClockMark mark;
    CHECK (engine.getClockMarks (&mark, 1) == 0);

    for (int block = 0; block < 5; ++block)
        engine.process (outputs, 2, 128);
    EngineCommand command;
    command.type = EngineCommand::Type::stopAll;
    REQUIRE (engine.post (command));
    const auto posted = engine.getCommandsPosted();
    CHECK_FALSE (engine.findClockMarkOfCommand (posted, mark));   // not received yet
    engine.process (outputs, 2, 128);                              // block 5: [640, 768)
    for (int block = 0; block < 3; ++block)
        engine.process (outputs, 2, 128);

    REQUIRE (engine.findClockMarkOfCommand (posted, mark));
    CHECK (mark.blockStart == 640);
    CHECK (mark.frames == 128);
    CHECK (mark.sampleRate == 48000.0);
    CHECK (mark.commandsReceived == posted);

    std::array<EngineClockMark, Engine::clockMarkCount> marks;
    const auto count = engine.getClockMarks (marks.data(), (int) marks.size());
    REQUIRE (count == 9);
    CHECK (marks[0].blockStart == 8 * 128);   // newest first
    CHECK (marks[8].blockStart == 0);
    CHECK (marks[0].callback == marks[1].callback + 1);
    CHECK (marks[0].wallNanos >= marks[8].wallNanos);

    // Older than the marks kept: unknown, never a wrong callback.
    for (int block = 0; block < Engine::clockMarkCount + 1; ++block)
        engine.process (outputs, 2, 128);
    CHECK_FALSE (engine.findClockMarkOfCommand (posted, mark));
}

TEST_CASE ("Engine clock marks: a reader on another thread never sees a torn or misnumbered mark")
{
    Engine engine;
    engine.prepare (48000.0, 64);
    std::atomic<bool> done { false };
    std::thread audio ([&]
    {
        std::vector<float> left (64), right (64);
        float* outputs[] { left.data(), right.data() };
        for (int block = 0; block < 20000; ++block)
            engine.process (outputs, 2, 64);
        done = true;
    });
    int checked = 0;
    while (! done)
    {
        std::array<EngineClockMark, Engine::clockMarkCount> marks;
        const auto count = engine.getClockMarks (marks.data(), (int) marks.size());
        for (int i = 0; i < count; ++i)
        {
            // Mark n covers [64 (n - 1), 64 n).
            if (marks[(size_t) i].blockStart != (int64_t) (marks[(size_t) i].callback - 1) * 64)
                FAIL ("mark " << marks[(size_t) i].callback << " at " << marks[(size_t) i].blockStart);
            ++checked;
        }
    }
    audio.join();
    CHECK (checked > 0);
}
