// CueGrid — GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <mutex>
#include <numeric>
#include <system_error>
#include <thread>
#include <vector>

namespace cuegrid::analysis
{

/** Worker threads to use for `requested` (<= 0: one per hardware thread), never more than
    there are items and never fewer than one. */
inline int analysisJobs (int requested, size_t items)
{
    const auto wanted = requested > 0 ? requested : (int) std::max (1u, std::thread::hardware_concurrency());
    return std::max (1, std::min (wanted, (int) std::min<size_t> (items, 1024)));
}

/** The indices of `files`, largest file first (ties and unreadable sizes keep their order):
    the long files start first, so the last one to finish is a short one and the cores stay
    busy to the end. */
inline std::vector<size_t> largestFirst (const std::vector<std::filesystem::path>& files)
{
    std::vector<uintmax_t> sizes (files.size(), 0);
    for (size_t i = 0; i < files.size(); ++i)
    {
        std::error_code error;
        const auto size = std::filesystem::file_size (files[i], error);
        sizes[i] = error ? 0 : size;
    }
    std::vector<size_t> order (files.size());
    std::iota (order.begin(), order.end(), 0);
    std::stable_sort (order.begin(), order.end(), [&] (size_t a, size_t b) { return sizes[a] > sizes[b]; });
    return order;
}

/** Runs work(i) for every i of `order` (each once, started in that order) on `jobs` threads:
    the calling thread and jobs − 1 more, taking the next index from one shared queue. The
    caller puts each result at its index, so the output does not depend on the finishing order.
    An exception from work() stops new items from starting; the one of the lowest index is
    rethrown here after every thread has finished. */
template <typename Work>
void runInParallel (const std::vector<size_t>& order, int jobs, Work&& work)
{
    std::atomic<size_t> next { 0 };
    std::atomic<bool> failed { false };
    std::mutex errorLock;
    std::exception_ptr error;   // written under errorLock by any worker, read after the join
    size_t errorIndex = 0;
    auto worker = [&]
    {
        for (;;)
        {
            const auto position = next.fetch_add (1);
            if (position >= order.size() || failed.load())
                return;
            try
            {
                work (order[position]);
            }
            catch (...)
            {
                const std::lock_guard<std::mutex> guard (errorLock);
                if (error == nullptr || order[position] < errorIndex)
                {
                    error = std::current_exception();
                    errorIndex = order[position];
                }
                failed = true;
            }
        }
    };
    std::vector<std::thread> threads;
    for (int i = 1; i < std::max (1, jobs); ++i)
    {
        try
        {
            threads.emplace_back (worker);
        }
        catch (const std::system_error&)
        {
            break;   // no more threads to be had: the ones running share the queue
        }
    }
    worker();
    for (auto& thread : threads)
        thread.join();
    if (error != nullptr)
        std::rethrow_exception (error);
}

} // namespace cuegrid::analysis
