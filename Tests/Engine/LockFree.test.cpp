// CueGrid — GPL-3.0-or-later
// The lock-free primitives under real concurrency: SPSC FIFO order and SeqLock consistency.
#include "Engine/SeqLock.h"
#include "Engine/SpscFifo.h"

#include <catch2/catch.hpp>

#include <thread>

using namespace cuegrid;

TEST_CASE ("SpscFifo delivers every item once, in order, across threads", "[fifo]")
{
    struct Item { uint64_t index; uint64_t check; };
    static SpscFifo<Item, 64> fifo;  // small, so the producer often finds it full
    constexpr uint64_t count = 500000;

    std::thread producer ([]
    {
        for (uint64_t i = 0; i < count;)
            if (fifo.push ({ i, i * 2654435761u }))
                ++i;
    });
    uint64_t expected = 0, wrong = 0;
    Item item {};
    while (expected < count)
        if (fifo.pop (item))
        {
            wrong += (item.index != expected || item.check != expected * 2654435761u) ? 1 : 0;
            ++expected;
        }
    producer.join();
    CHECK (wrong == 0);
    CHECK_FALSE (fifo.pop (item));
}

TEST_CASE ("SpscFifo refuses items when full and keeps what it holds", "[fifo]")
{
    SpscFifo<int, 4> fifo;
    for (int i = 0; i < 4; ++i)
        CHECK (fifo.push (i));
    CHECK_FALSE (fifo.push (99));
    int value = -1;
    CHECK (fifo.pop (value));
    CHECK (value == 0);
    CHECK (fifo.push (4));
    for (int expected = 1; expected <= 4; ++expected)
    {
        CHECK (fifo.pop (value));
        CHECK (value == expected);
    }
}

TEST_CASE ("SeqLock readers never see a torn snapshot", "[seqlock]")
{
    struct Snapshot { uint64_t words[16]; };
    SeqLock<Snapshot> lock;
    std::atomic<bool> done { false }, readerStarted { false };
    std::thread writer ([&]
    {
        while (! readerStarted)
            std::this_thread::yield();
        Snapshot snapshot {};
        for (uint64_t generation = 1; generation < 200000; ++generation)
        {
            for (auto& word : snapshot.words)
                word = generation;
            lock.write (snapshot);
        }
        done = true;
    });
    uint64_t torn = 0, reads = 0, lastSeen = 0;
    bool wentBackwards = false;
    readerStarted = true;
    while (! done || reads < 1000)
    {
        const auto snapshot = lock.read();
        for (auto word : snapshot.words)
            torn += word != snapshot.words[0] ? 1 : 0;
        wentBackwards = wentBackwards || snapshot.words[0] < lastSeen;
        lastSeen = snapshot.words[0];
        ++reads;
    }
    writer.join();
    CHECK (reads > 0);
    CHECK (torn == 0);
    CHECK_FALSE (wentBackwards);
    CHECK (lock.read().words[15] == 199999);
}
