// CueGrid — GPL-3.0-or-later
// Allocation and lock detectors for the real-time safety test. Linked into that test
// executable only: it interposes malloc & co., operator new/delete and the pthread locking
// calls, and counts each call made on a thread that has armed the guard.
#include "AudioThreadGuard.h"

#include <atomic>
#include <cstdlib>
#include <new>

#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>

extern "C"
{
    void* __libc_malloc (size_t);
    void* __libc_calloc (size_t, size_t);
    void* __libc_realloc (void*, size_t);
    void* __libc_memalign (size_t, size_t);
    void __libc_free (void*);
}

namespace
{
    thread_local bool armed = false;
    std::atomic<long> allocations { 0 }, locks { 0 };

    inline void countAllocation() { if (armed) allocations.fetch_add (1, std::memory_order_relaxed); }
    inline void countLock() { if (armed) locks.fetch_add (1, std::memory_order_relaxed); }

    template <typename Function>
    Function next (const char* name)
    {
        return reinterpret_cast<Function> (dlsym (RTLD_NEXT, name));
    }

    using MutexFunction = int (*) (pthread_mutex_t*);
    using RwFunction = int (*) (pthread_rwlock_t*);
    using SpinFunction = int (*) (pthread_spinlock_t*);
    using CondFunction = int (*) (pthread_cond_t*, pthread_mutex_t*);
    using SemFunction = int (*) (sem_t*);

    // Resolved before main(), while nothing is armed.
    const auto realMutexLock = next<MutexFunction> ("pthread_mutex_lock");
    const auto realMutexTryLock = next<MutexFunction> ("pthread_mutex_trylock");
    const auto realReadLock = next<RwFunction> ("pthread_rwlock_rdlock");
    const auto realWriteLock = next<RwFunction> ("pthread_rwlock_wrlock");
    const auto realSpinLock = next<SpinFunction> ("pthread_spin_lock");
    const auto realCondWait = next<CondFunction> ("pthread_cond_wait");
    const auto realSemWait = next<SemFunction> ("sem_wait");
} // namespace

namespace cuegrid::test
{
void armAudioThreadGuard (bool shouldArm) { armed = shouldArm; }
long audioThreadAllocations() { return allocations.load(); }
long audioThreadLocks() { return locks.load(); }
void resetAudioThreadGuard() { allocations = 0; locks = 0; }
} // namespace cuegrid::test

extern "C"
{
    void* malloc (size_t size) { countAllocation(); return __libc_malloc (size); }
    void* calloc (size_t count, size_t size) { countAllocation(); return __libc_calloc (count, size); }
    void* realloc (void* pointer, size_t size) { countAllocation(); return __libc_realloc (pointer, size); }
    void* aligned_alloc (size_t alignment, size_t size) { countAllocation(); return __libc_memalign (alignment, size); }
    void* memalign (size_t alignment, size_t size) { countAllocation(); return __libc_memalign (alignment, size); }
    int posix_memalign (void** result, size_t alignment, size_t size)
    {
        countAllocation();
        *result = __libc_memalign (alignment, size);
        return *result != nullptr ? 0 : 12;
    }
    void free (void* pointer) { if (pointer != nullptr) countAllocation(); __libc_free (pointer); }

    int pthread_mutex_lock (pthread_mutex_t* mutex) { countLock(); return realMutexLock (mutex); }
    int pthread_mutex_trylock (pthread_mutex_t* mutex) { countLock(); return realMutexTryLock (mutex); }
    int pthread_rwlock_rdlock (pthread_rwlock_t* lock) { countLock(); return realReadLock (lock); }
    int pthread_rwlock_wrlock (pthread_rwlock_t* lock) { countLock(); return realWriteLock (lock); }
    int pthread_spin_lock (pthread_spinlock_t* lock) { countLock(); return realSpinLock (lock); }
    int pthread_cond_wait (pthread_cond_t* condition, pthread_mutex_t* mutex) { countLock(); return realCondWait (condition, mutex); }
    int sem_wait (sem_t* semaphore) { countLock(); return realSemWait (semaphore); }
}

void* operator new (size_t size) { countAllocation(); if (auto* p = __libc_malloc (size ? size : 1)) return p; throw std::bad_alloc(); }
void* operator new[] (size_t size) { countAllocation(); if (auto* p = __libc_malloc (size ? size : 1)) return p; throw std::bad_alloc(); }
void* operator new (size_t size, const std::nothrow_t&) noexcept { countAllocation(); return __libc_malloc (size ? size : 1); }
void* operator new[] (size_t size, const std::nothrow_t&) noexcept { countAllocation(); return __libc_malloc (size ? size : 1); }
void* operator new (size_t size, std::align_val_t alignment) { countAllocation(); if (auto* p = __libc_memalign ((size_t) alignment, size)) return p; throw std::bad_alloc(); }
void* operator new[] (size_t size, std::align_val_t alignment) { countAllocation(); if (auto* p = __libc_memalign ((size_t) alignment, size)) return p; throw std::bad_alloc(); }
void operator delete (void* p) noexcept { if (p) countAllocation(); __libc_free (p); }
void operator delete[] (void* p) noexcept { if (p) countAllocation(); __libc_free (p); }
void operator delete (void* p, size_t) noexcept { if (p) countAllocation(); __libc_free (p); }
void operator delete[] (void* p, size_t) noexcept { if (p) countAllocation(); __libc_free (p); }
void operator delete (void* p, std::align_val_t) noexcept { if (p) countAllocation(); __libc_free (p); }
void operator delete[] (void* p, std::align_val_t) noexcept { if (p) countAllocation(); __libc_free (p); }
void operator delete (void* p, size_t, std::align_val_t) noexcept { if (p) countAllocation(); __libc_free (p); }
void operator delete[] (void* p, size_t, std::align_val_t) noexcept { if (p) countAllocation(); __libc_free (p); }
