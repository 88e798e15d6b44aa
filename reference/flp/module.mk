# reference/flp/module.mk — the Freelance roles (10/FLP): the server and the failover client.
#
# Built the way every protocol role is (reference/roles/module.mk, role_folder): against the
# public header zwire.h, the codecs and the roles' kit only, generated C in
# build/gen/reference/flp/, header dependencies from the compiler (-MMD -MP).

FLP_DIR      := reference/flp
FLP_MACHINES := flp_client_session
FLP_MACHINES += flp_server_view
FLP_TESTS    := flp-server
FLP_TESTS    += flp-client
$(eval $(call role_folder,FLP))
