// seed.cpp: the application's function for `call seed_items`, written in
// C++ and given C linkage, compiled into the library (CALLBACKS).
#include <string>

#include <retort/retort.h>

extern "C" int seed_items(retort_call *ctx)
{
    const char *const names[] = {"bolt", "nut", "washer"};
    for (int i = 0; i < 3; i++) {
        std::string qty = std::to_string((i + 1) * 10);
        const char *params[] = {names[i], qty.c_str()};
        if (retort_call_exec(ctx, "INSERT INTO items (name, qty) VALUES ($1, $2)", 2,
                             params) < 0)
            return -1;
    }
    return 0;
}
