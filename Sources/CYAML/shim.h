#ifndef VAULT_CYAML_SHIM_H
#define VAULT_CYAML_SHIM_H

#include <yaml.h>

#endif
