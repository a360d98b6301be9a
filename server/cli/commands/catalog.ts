/** Every command, in the order `kiln --help` lists them. */
import type { CommandSpec } from "../args";
import type { CliContext } from "./context";
import { agent } from "./agent";
import { passwordChange, projectCreate, projectDelete, projectList, roleAdd, roleRemove, userCreate, userDelete, userList, userSetPassword } from "./administration";
import { cloudSet, cloudShow, cloudUnset } from "./cloud";
import { login, logout } from "./session";
import { softwareConfigList, softwareConfigShow, softwareDeploymentList, softwareDeploymentOutputShow, softwareDeploymentShow } from "./software";
import { resourceTypeList, resourceTypeShow } from "./resourceTypes";
import { stackCancel, stackCheck, stackCreate, stackDelete, stackPreview, stackUpdate } from "./stackOperations";
import { eventList, outputList, outputShow, resourceList, resourceShow } from "./stackParts";
import { stackList, stackShow } from "./stackViews";
import { templateValidate } from "./template";

export const commands: CommandSpec<CliContext>[] = [
  login,
  logout,
  templateValidate,
  stackCreate,
  stackUpdate,
  stackPreview,
  stackDelete,
  stackList,
  stackShow,
  stackCheck,
  stackCancel,
  eventList,
  resourceList,
  resourceShow,
  outputList,
  outputShow,
  resourceTypeList,
  resourceTypeShow,
  softwareConfigList,
  softwareConfigShow,
  softwareDeploymentList,
  softwareDeploymentShow,
  softwareDeploymentOutputShow,
  userCreate,
  userList,
  userDelete,
  userSetPassword,
  passwordChange,
  projectCreate,
  projectList,
  projectDelete,
  roleAdd,
  roleRemove,
  cloudShow,
  cloudSet,
  cloudUnset,
  agent,
];
