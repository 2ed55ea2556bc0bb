#include "trace/trace-hw_net_vfnic.h"
