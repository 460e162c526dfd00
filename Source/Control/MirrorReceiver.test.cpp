// CueGrid — GPL-3.0-or-later
#include "MirrorReceiver.h"
#include "MirrorSender.h"

#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace cuegrid;

namespace
{
    /** gui-v2.cuegrid without a device: the network side of mirroring (no message loop runs
        here, so nothing is performed; the receiver's counts are the network thread's). */
    struct Fixture
    {
        juce::AudioDeviceManager devices;
        ShowController controller { devices };
        ShowActions actions { controller };
        int port = 20000 + (int) (::getpid() % 20000);

        Fixture()
        {
            // The receiver's network thread hands over with callAsync, and JUCE makes the
            // MessageManager on first use, without a lock: make it here, on this thread, first.
            juce::MessageManager::getInstance();
            controller.loadSession (test::dataPath ("sessions/gui-v2.cuegrid").string());
        }
    };

    /** A primary written by hand: a TCP socket sending encoded messages. */
    struct FakePrimary
    {
        int socket = -1;
        explicit FakePrimary (int port)
        {
            socket = ::socket (AF_INET, SOCK_STREAM, 0);
            sockaddr_in address {};
            address.sin_family = AF_INET;
            address.sin_port = htons ((uint16_t) port);
            address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
            REQUIRE (::connect (socket, reinterpret_cast<sockaddr*> (&address), sizeof (address)) == 0);
        }
        ~FakePrimary() { ::close (socket); }
        void send (const MirrorMessage& message)
        {
            const auto bytes = mirror::encode (message);
            REQUIRE (::send (socket, bytes.data(), bytes.size(), MSG_NOSIGNAL) == (ssize_t) bytes.size());
        }
        void hello (int64_t run, int64_t lastCommand)
        {
            MirrorMessage m;
            m.kind = MirrorMessage::Kind::hello;
            m.run = run;
            m.session = "gui-v2";
            m.clips = 11;
            m.lastCommand = lastCommand;
            send (m);
        }
        void action (int64_t sequence)
        {
            MirrorMessage m;
            m.kind = MirrorMessage::Kind::action;
            m.sequence = sequence;
            m.action = ShowAction::forClipId (ShowAction::Type::fire, "kick");
            send (m);
        }
    };

    template <typename Condition>
    bool waitFor (Condition condition, double seconds = 3.0)
    {
        const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double> (seconds);
        while (std::chrono::steady_clock::now() < end)
        {
            if (condition())
                return true;
            std::this_thread::sleep_for (std::chrono::milliseconds (5));
        }
        return condition();
    }
}

TEST_CASE ("MirrorReceiver: counts commands, what a reconnecting primary missed, and foreign messages")
{
    Fixture f;
    MirrorReceiver receiver { f.actions };
    REQUIRE (receiver.start ({ f.port, 20.0 }).empty());
    CHECK (receiver.getStatus().problem == "no primary yet");

    {
        FakePrimary primary (f.port);
        primary.hello (7, 0);
        primary.action (1);
        primary.action (2);
        REQUIRE (waitFor ([&] { return receiver.getStatus().commands == 2; }));
        CHECK (receiver.getStatus().missed == 0);
    }
    {
        // The same primary again (run 7), having sent commands 3-5 while we were apart.
        FakePrimary primary (f.port);
        primary.hello (7, 5);
        primary.action (6);
        REQUIRE (waitFor ([&] { return receiver.getStatus().commands == 3; }));
        CHECK (receiver.getStatus().missed == 3);
        primary.action (9);   // 7 and 8 never came
        REQUIRE (waitFor ([&] { return receiver.getStatus().commands == 4; }));
        CHECK (receiver.getStatus().missed == 5);

        MirrorMessage beat;
        beat.kind = MirrorMessage::Kind::heartbeat;
        beat.run = 7;
        beat.lastCommand = 10;   // the primary dropped 10 (its queue was full)
        beat.sampleRate = 48000.0;
        primary.send (beat);
        REQUIRE (waitFor ([&] { return receiver.getStatus().heartbeats == 1; }));
        CHECK (receiver.getStatus().missed == 6);
        CHECK (receiver.getStatus().heard);
        CHECK_FALSE (receiver.getStatus().inStep);   // missed within the last 10 s

        // Foreign and malformed messages: dropped and counted, the connection goes on.
        MirrorMessage foreign = beat;
        foreign.sampleRate = 1.0;   // out of range
        primary.send (foreign);
        REQUIRE (waitFor ([&] { return receiver.getStatus().malformed == 1; }));
        primary.action (11);
        REQUIRE (waitFor ([&] { return receiver.getStatus().commands == 5; }));
    }
    {
        // Another primary (or the same one restarted): a new count.
        FakePrimary primary (f.port);
        primary.hello (8, 100);
        primary.action (101);
        REQUIRE (waitFor ([&] { return receiver.getStatus().commands == 6; }));
        CHECK (receiver.getStatus().missed == 6);
    }
    receiver.stop();
}

TEST_CASE ("MirrorSender: connects, sends, notices the backup gone, reconnects, and the backup counts what it missed")
{
    Fixture f;
    MirrorReceiver receiver { f.actions };
    REQUIRE (receiver.start ({ f.port, 20.0 }).empty());
    MirrorSender sender { f.controller };
    REQUIRE (sender.start ({ "127.0.0.1", f.port, 0.1, 0.2 }).empty());
    REQUIRE (waitFor ([&] { return sender.getStats().connected; }));

    const auto kick = f.controller.getSession().findClip ("kick");
    const auto fired = ShowActions::Result::done (kick);
    for (int i = 0; i < 3; ++i)
        sender.actionPerformed (ShowAction::forClip (ShowAction::Type::fire, kick), fired);
    // No device: no callback receives the commands; after 200 ms each goes as estimated.
    REQUIRE (waitFor ([&] { return receiver.getStatus().commands == 3; }));
    CHECK (sender.getStats().actionsSent == 3);
    CHECK (sender.getStats().inexact == 3);

    receiver.stop();
    REQUIRE (waitFor ([&] { return ! sender.getStats().connected; }));
    sender.actionPerformed (ShowAction::forClip (ShowAction::Type::fire, kick), fired);
    sender.actionPerformed (ShowAction::forClip (ShowAction::Type::fire, kick), fired);
    REQUIRE (waitFor ([&] { return sender.getStats().actionsDropped == 2; }));

    REQUIRE (receiver.start ({ f.port, 20.0 }).empty());
    REQUIRE (waitFor ([&] { return sender.getStats().connects == 2; }));
    sender.actionPerformed (ShowAction::forClip (ShowAction::Type::fire, kick), fired);
    REQUIRE (waitFor ([&] { return receiver.getStatus().commands == 4; }));
    CHECK (receiver.getStatus().missed == 2);   // 4 and 5, sent while it was gone
    bool warning = false;
    CHECK (sender.describe (warning).find ("connected, commands 4") != std::string::npos);
    CHECK_FALSE (warning);
    sender.stop();
    receiver.stop();
}
